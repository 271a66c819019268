import { allLists, recentFailures } from "../../../db/crm/push.ts";
import {
  connection,
  contactsBySource,
  crmCounts,
  customerIdsOf,
  forgetPerson,
  linksOfPerson,
  setConnection,
  wonDealFigures,
} from "../../../db/crm/queries.ts";
import type { CrmConnectionRow, CrmListRow } from "../../../db/crm/schema.ts";
import { AppError } from "../../platform/base/errors.ts";
import type { MetricSource } from "../../platform/metrics/scopes.ts";
import { CrmError, PROVIDER_LABELS, PROVIDERS, type Provider } from "./connector.ts";
import { CrmCore } from "./core.ts";
import { type PullSummary, pullConnection } from "./pull.ts";
import {
  applySync,
  type LiftProperties,
  liftProperties,
  planSync,
  type SyncPlan,
  type SyncResult,
} from "./push.ts";

const HOUR = 3_600_000;

export interface ConnectionStatus {
  provider: Provider;
  configured: boolean;
  row: CrmConnectionRow | null;
  counts: Awaited<ReturnType<typeof crmCounts>>;
  bySource: Awaited<ReturnType<typeof contactsBySource>>;
  failures: Awaited<ReturnType<typeof recentFailures>>;
  lists: CrmListRow[];
}

/**
 * The CRM capability's service: pulls (contacts, companies, deals in), syncs (a segment out as
 * a list, with Lift's properties), the status of each connection, the erasure of a person in
 * each CRM, and deal revenue as a metric source.
 */
export class Crm {
  constructor(readonly core: CrmCore) {}

  private get tables() {
    return this.core.tables;
  }

  async status(): Promise<ConnectionStatus[]> {
    const configured = this.core.configured();
    const lists = await allLists(this.tables);
    return Promise.all(
      PROVIDERS.map(async (provider) => ({
        provider,
        configured: configured.includes(provider),
        row: await connection(this.tables, provider),
        counts: await crmCounts(this.tables, provider),
        bySource: await contactsBySource(this.tables, provider),
        failures: await recentFailures(this.tables, provider, 5),
        lists: lists.filter((l) => l.provider === provider),
      })),
    );
  }

  /** Records how a run ended on the connection: ok, or failing until when, or refused. */
  private async outcome(provider: Provider, error: unknown, what: "pull" | "push"): Promise<never> {
    const now = this.core.context.now();
    const problem = error instanceof CrmError ? error : null;
    if (problem) {
      const wait =
        problem.kind === "refused"
          ? 6 * HOUR
          : problem.kind === "rate_limited"
            ? (problem.retryAfterMs ?? 60_000)
            : 15 * 60_000;
      await setConnection(
        this.tables,
        provider,
        {
          status: problem.kind === "refused" ? "refused" : "failing",
          error: problem.message,
          notBefore: now + wait,
        },
        now,
      );
      this.core.context.logger.warn(
        { provider, kind: problem.kind, error: problem.message },
        `CRM ${what} stopped`,
      );
      throw new AppError(problem.kind === "refused" ? "invalid_config" : "busy", problem.message, {
        hint:
          problem.kind === "refused"
            ? CrmCore.howToConnect(provider)
            : `it resumes where it stopped on the next run (\`lift crm ${what} ${provider}\` to try now)`,
      });
    }
    throw error;
  }

  async pull(provider: Provider, signal?: AbortSignal): Promise<PullSummary> {
    const connector = this.core.connector(provider, signal);
    try {
      const summary = await pullConnection(this.core, connector, signal);
      const now = this.core.context.now();
      await setConnection(
        this.tables,
        provider,
        { status: "ok", error: null, notBefore: null, lastPullAt: now },
        now,
      );
      this.core.context.logger.info(
        {
          provider,
          contacts: summary.contacts,
          companies: summary.companies,
          deals: summary.deals,
          pages: summary.pages,
        },
        "CRM pulled",
      );
      return summary;
    } catch (error) {
      return this.outcome(provider, error, "pull");
    }
  }

  /** What `crm sync` would do, with nothing sent. */
  async plan(segment: string, provider: Provider, list?: string): Promise<SyncPlan> {
    const connector = this.core.connector(provider);
    return (await planSync(this.core, connector, segment, list ?? defaultListName(segment))).plan;
  }

  async sync(
    segment: string,
    provider: Provider,
    list: string | undefined,
    actor: string,
    signal?: AbortSignal,
    properties?: LiftProperties,
  ): Promise<SyncResult> {
    const connector = this.core.connector(provider, signal);
    try {
      const planned = await planSync(
        this.core,
        connector,
        segment,
        list ?? defaultListName(segment),
        properties,
      );
      const result = await applySync(this.core, connector, planned, actor, this.core.fieldsReady);
      const now = this.core.context.now();
      await setConnection(
        this.tables,
        provider,
        { status: "ok", error: null, notBefore: null, lastPushAt: now },
        now,
      );
      await this.core.context.platform.audit(actor, "crm.sync", {
        provider,
        segment: result.segment,
        list: result.list,
        written: result.written,
        added: result.added,
        removed: result.removed,
        refused: result.refused.length,
      });
      return result;
    } catch (error) {
      return this.outcome(provider, error, "push");
    }
  }

  /** Brings every list Lift keeps in a CRM up to date with its segment. */
  async pushAll(provider: Provider | null, actor: string, signal?: AbortSignal): Promise<SyncResult[]> {
    const results: SyncResult[] = [];
    // RFM, clusters and predictions are the same for every list: worked out once, when one is synced.
    let properties: LiftProperties | undefined;
    for (const list of await allLists(this.tables)) {
      if (provider && list.provider !== provider) continue;
      // A list an automation fills (no segment) is the automation's.
      if (list.segment === "") continue;
      if (!this.core.configured().includes(list.provider as Provider)) continue;
      try {
        properties ??= await liftProperties(this.core);
        results.push(
          await this.sync(list.segment, list.provider as Provider, list.name, actor, signal, properties),
        );
      } catch (error) {
        // A list whose segment was deleted is left as it was; the others are still brought up to date.
        if (!(error instanceof AppError && error.code === "not_found")) throw error;
        this.core.context.logger.warn(
          { provider: list.provider, list: list.name, segment: list.segment },
          "a CRM list's segment no longer exists: the list is left as it was",
        );
      }
    }
    return results;
  }

  /** Connections due for their scheduled pull (and push) at `now`. */
  async due(now: number): Promise<Provider[]> {
    const every = this.core.settings.LIFT_CRM_EVERY_MINUTES * 60_000;
    const due: Provider[] = [];
    for (const provider of this.core.configured()) {
      const row = await connection(this.tables, provider);
      if (row?.notBefore && row.notBefore > now) continue;
      if (row?.lastPullAt && row.lastPullAt + every > now) continue;
      due.push(provider);
    }
    return due;
  }

  /**
   * Erases a person (an email or a customer id) in every connected CRM — HubSpot's GDPR
   * delete; in Salesforce the records Lift made — and forgets their CRM links here. The
   * privacy capability calls this as part of its erasure. Says what was done in each.
   */
  async erase(person: string): Promise<string[]> {
    const { ids, emails } = await customerIdsOf(this.tables, person);
    const links = await linksOfPerson(this.tables, ids);
    const lines: string[] = [];
    for (const provider of this.core.configured()) {
      const own = links.filter((l) => l.provider === provider);
      const email = emails[0] ?? null;
      if (own.length === 0 && !(provider === "hubspot" && email)) continue;
      lines.push(await this.core.connector(provider).erase(email, own));
    }
    await forgetPerson(this.tables, ids, emails);
    return lines;
  }

  /** Closed-won deals as revenue, for questions that ask `… including deals`. */
  readonly dealsSource: MetricSource = {
    word: "deals",
    noun: "closed-won deal",
    read: async (range, by, filter) => {
      const grain = ["none", "channel", "campaign", "day", "week", "month"].includes(by) ? by : null;
      if (grain === null)
        throw new AppError("invalid_input", `Deals cannot be broken down by ${by}`, {
          hint: "by day, week, month, channel or campaign",
        });
      const rows = await wonDealFigures(this.tables, range, grain as "none", filter);
      return new Map(rows.map((r) => [r.k ?? "", { orders: r.orders, revenueMinor: r.revenueMinor }]));
    },
  };
}

export function defaultListName(segment: string): string {
  return `Lift: ${segment}`;
}

export { PROVIDER_LABELS };
