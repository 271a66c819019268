/**
 * The CRM contract: what Lift reads from a CRM (contacts or leads, companies, deals) page by
 * page from where it stopped, and what it writes back (its own properties on contact records,
 * a segment as a static list or a campaign's members, an erasure). HubSpot and Salesforce are
 * two connectors of it; another CRM is one more file.
 */

export type Provider = "hubspot" | "salesforce";
export const PROVIDERS: readonly Provider[] = ["hubspot", "salesforce"];
export const PROVIDER_LABELS: Record<Provider, string> = { hubspot: "HubSpot", salesforce: "Salesforce" };

/** Where a pull is: records modified at or after `since` (null: all), and a paging token within them. */
export interface Position {
  since: number | null;
  after: string | null;
}

export interface Page<T> {
  records: T[];
  /** The next page's token; null when this was the last. */
  after: string | null;
  /**
   * Start again from this modified-since mark (a search that cannot page further, as HubSpot's
   * stops at 10,000 results; a Salesforce query cursor that expired): the pull goes on with
   * `{since: restartFrom, after: null}`; null pages through every record.
   */
  restartFrom?: number | null;
}

export interface PulledContact {
  crmId: string;
  /** "contact" or "lead". */
  object: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Original source (HubSpot's hs_analytics_source, Salesforce's LeadSource). */
  source: string | null;
  /** Lifecycle stage or lead status. */
  stage: string | null;
  createdAt: number | null;
  updatedAt: number;
}

export interface PulledCompany {
  crmId: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  updatedAt: number;
}

export interface PulledDeal {
  crmId: string;
  name: string | null;
  stage: string | null;
  won: boolean;
  /** In major units of `currency`, as the CRM writes it ("1200.50"). */
  amount: string | null;
  currency: string | null;
  /** The close date as the CRM gives it: an instant, or a day ("2026-11-03"). */
  close: number | string | null;
  contactCrmId: string | null;
  source: string | null;
  updatedAt: number;
}

export type PullObject =
  | { object: string; kind: "contact"; page(position: Position): Promise<Page<PulledContact>> }
  | { object: string; kind: "company"; page(position: Position): Promise<Page<PulledCompany>> }
  | { object: string; kind: "deal"; page(position: Position): Promise<Page<PulledDeal>> };

/** A property Lift owns on contact records. */
export interface FieldSpec {
  /** Lift's name ("rfm_segment"); each CRM spells it its own way (lift_rfm_segment, Lift_RFM_Segment__c). */
  name: string;
  label: string;
  type: "text" | "number" | "bool";
}

export interface OutRecord {
  customerId: string;
  email: string;
  /** The CRM's record id, when Lift knows it (pulled, or made by an earlier sync). */
  crmId: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Lift's properties by Lift's name; null clears one. */
  properties: Record<string, string | number | boolean | null>;
  /** Unsubscribed from Lift's email: the CRM's opt-out set. */
  optedOut: boolean;
}

export interface Upserted {
  customerId: string;
  crmId: string;
  created: boolean;
}

export interface Refused {
  customerId: string;
  email: string;
  reason: string;
}

export interface CrmConnector {
  provider: Provider;
  /** Records a write call may carry (HubSpot 100, Salesforce 200). */
  batchSize: number;
  /** What a pull reads, in order (contacts before deals, so deals find their contact). */
  objects: PullObject[];
  /** Makes Lift's properties where they are missing (the calls it makes count in `calls`). */
  ensureFields(fields: readonly FieldSpec[]): Promise<void>;
  /** One call: creates or updates up to `batchSize` records; refused records are reported, the rest kept. */
  upsert(records: readonly OutRecord[]): Promise<{ ok: Upserted[]; refused: Refused[] }>;
  /** Finds the list (campaign) by name, or makes it: its id. */
  ensureList(name: string): Promise<string>;
  /** Adds and removes members by difference; member ids as the CRM keeps them. */
  changeMembers(
    listId: string,
    add: readonly { customerId: string; crmId: string }[],
    remove: readonly { customerId: string; memberId: string }[],
  ): Promise<{ added: [customerId: string, memberId: string][]; removed: string[]; refused: Refused[] }>;
  /** Erases a person: the CRM's own deletion for a person, or the records Lift made. Says what it did. */
  erase(
    email: string | null,
    links: readonly { crmId: string; object: string; createdByLift: boolean }[],
  ): Promise<string>;
  /** Calls made so far, by reads and writes (the benchmark's and tests' count). */
  readonly calls: { reads: number; writes: number };
}

/**
 * A CRM that answered something a sync cannot go past: refused credentials (a person must fix
 * them), a rate limit that outlasted the wait, a server error (`failed`, retried) or a request
 * it will never take (`invalid`). The sync stops where it was and says this.
 */
export class CrmError extends Error {
  constructor(
    readonly kind: "refused" | "rate_limited" | "failed" | "invalid",
    message: string,
    readonly retryAfterMs?: number,
    /** The HTTP status, when the CRM answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "CrmError";
  }
}

/** How a connector waits: rate limits, Retry-After, the run's signal. */
export interface Waiting {
  /** Sleeps; rejects when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  signal?: AbortSignal | undefined;
  /** The most one call waits in all for rate limits before the sync stops and resumes later. */
  maxWaitMs: number;
}

export const realSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", stop);
      resolve();
    }
    function stop() {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    }
    signal?.addEventListener("abort", stop, { once: true });
  });

/**
 * Runs one call, waiting out rate limits (429: Retry-After or the CRM's own rate headers) and
 * retrying a failing server (5xx, unreachable) twice, as long as the waits stay under
 * `maxWaitMs`; a refusal or an invalid request is thrown at once. `classify` turns the CRM client's error into a CrmError.
 */
export async function withLimits<T>(
  call: () => Promise<T>,
  classify: (error: unknown) => CrmError,
  waiting: Waiting,
): Promise<T> {
  let waited = 0;
  let serverTries = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const problem = classify(error);
      if (problem.kind === "refused") throw problem;
      const retryable = problem.kind === "rate_limited" || (problem.kind === "failed" && serverTries++ < 2);
      if (!retryable) throw problem;
      const wait = problem.retryAfterMs ?? (problem.kind === "rate_limited" ? 10_000 : 500 * serverTries);
      if (waited + wait > waiting.maxWaitMs) throw problem;
      waited += wait;
      await waiting.sleep(wait, waiting.signal);
    }
  }
}

/** Items in batches of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
