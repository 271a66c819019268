import { extensionPoint, publicApi } from "../../platform/contract/capability.ts";
import type { ConnectorKind } from "./connectors.ts";
import type { Sources } from "./service.ts";

/** Where other capabilities add kinds of pulled source (social adds RSS, Mastodon, Hacker News …). */
export const connectorPoint = extensionPoint<ConnectorKind>("sources.connectors", (kind) => kind.kind);

/** The pulled sources of a platform, for other capabilities (the demo's live feeds add two). */
export const pulledSources = publicApi<Sources>("sources");
