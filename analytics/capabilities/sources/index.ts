export {
  type ConnectorKind,
  ConnectorKinds,
  checkResponse,
  type PullContext,
  PullError,
  type PullResult,
  type SourceConfig,
} from "./connectors.ts";
export { type FetchedResponse, isPrivateAddress, type SafeFetchOptions, safeFetch } from "./http.ts";
export { type PullOutcome, type SourceInfo, Sources, sourceBackoffMs, USER_AGENT } from "./service.ts";
