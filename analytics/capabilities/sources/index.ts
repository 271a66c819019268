import { z } from "zod";
import { defineCapability } from "../../platform/contract/capability.ts";
import { flag } from "../../platform/contract/settings.ts";
import { connectorPoint, pulledSources } from "./api.ts";
import { sourcesCommand, sourcesHome, sourcesJob } from "./commands.ts";
import { Sources } from "./service.ts";

export { connectorPoint, pulledSources } from "./api.ts";
export {
  type ConnectorKind,
  checkResponse,
  type PullContext,
  PullError,
  type PullResult,
  retryAfterMs,
  type SourceConfig,
} from "./connectors.ts";
export { type FetchedResponse, isPrivateAddress, type SafeFetchOptions, safeFetch } from "./http.ts";
export { type PullOutcome, type SourceInfo, Sources, sourceBackoffMs, USER_AGENT } from "./service.ts";

const settings = z.object({
  /** Pulled sources may fetch private, loopback and link-local addresses (tests; feeds on a company LAN). */
  LIFT_SOURCES_ALLOW_PRIVATE: flag,
});

/**
 * Pulled sources: connectors other capabilities contribute (RSS, Mastodon,
 * Hacker News …), each source with a cursor, a schedule, a status and its last
 * error; pulled every minute when due, each in its own transaction, a failing
 * one retried with backoff and never holding up the others.
 */
export const sources = defineCapability({
  name: "sources",
  summary: "Pulled sources: feeds and searches on schedules, with cursors, backoff and status",
  settings,
  setup(context) {
    pulledSources.provide(
      context,
      new Sources({
        db: context.tables,
        ingest: context.platform.ingest,
        connectors: () => context.extensions(connectorPoint),
        logger: context.logger,
        now: context.now,
        allowPrivate: context.settings.LIFT_SOURCES_ALLOW_PRIVATE,
      }),
    );
    return {
      commands: [sourcesCommand],
      jobs: [sourcesJob],
      homeSections: [sourcesHome],
    };
  },
});
