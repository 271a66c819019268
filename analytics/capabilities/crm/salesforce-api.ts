import { retryAfterMs } from "../sources/index.ts";
import {
  CrmError,
  type PulledCompany,
  type PulledContact,
  type PulledDeal,
  type Waiting,
  withLimits,
} from "./connector.ts";

/*
 * Salesforce's REST API as Lift calls it: OAuth 2.0 client credentials (a new token when a
 * session expires) or a given token, JSON calls with Salesforce's errors read (401, 429/503,
 * REQUEST_LIMIT_EXCEEDED), SOQL pages, and the records as Lift reads them.
 */

export interface SalesforceOptions {
  loginUrl?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  instanceUrl?: string | undefined;
  accessToken?: string | undefined;
  version: string;
  externalId: string;
}

interface QueryResult {
  records: Record<string, unknown>[];
  done: boolean;
  nextRecordsUrl?: string;
}

export interface SaveResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors: { statusCode: string; message: string }[];
}

/** Lift's name → the custom field's API name (rfm_segment → Lift_Rfm_Segment__c). */
export function salesforceField(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `Lift_${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("_")}__c`;
}

/** A Salesforce (SOQL) query: its values are written in by the callers, quoted with soqlText. */
export function soql(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ""), "");
}

/** A SOQL date-time literal. */
export const soqlTime = (ms: number) => new Date(ms).toISOString();
export const soqlText = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
export const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
/** Salesforce writes instants as 2026-11-03T10:00:00.000+0000 (an offset without a colon). */
export const time = (v: unknown) => {
  const at = typeof v === "string" ? Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2")) : Number.NaN;
  return Number.isFinite(at) ? at : null;
};

export class SalesforceApi {
  readonly calls = { reads: 0, writes: 0 };
  private session: { instance: string; token: string } | null = null;

  constructor(
    private readonly options: SalesforceOptions,
    private readonly waiting: Waiting,
  ) {}

  /** Where the REST API's resources are (/services/data/vNN.0). */
  get base() {
    return `/services/data/${this.options.version}`;
  }

  private async login(): Promise<{ instance: string; token: string }> {
    const o = this.options;
    if (!(o.loginUrl && o.clientId && o.clientSecret)) {
      if (!(o.instanceUrl && o.accessToken))
        throw new CrmError(
          "refused",
          "Salesforce is not configured (set SALESFORCE_LOGIN_URL … or SALESFORCE_INSTANCE_URL …)",
        );
      return { instance: o.instanceUrl.replace(/\/+$/, ""), token: o.accessToken };
    }
    let response: Response;
    try {
      response = await fetch(`${o.loginUrl.replace(/\/+$/, "")}/services/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: o.clientId,
          client_secret: o.clientSecret,
        }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new CrmError("failed", `Salesforce's login could not be reached (${(error as Error).message})`);
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, string>;
    if (!response.ok || !body["access_token"] || !body["instance_url"])
      throw new CrmError(
        response.status >= 500 ? "failed" : "refused",
        `Salesforce refused the client credentials (${response.status}${body["error"] ? ` ${body["error"]}: ${body["error_description"] ?? ""}` : ""}); check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET`,
      );
    return { instance: body["instance_url"].replace(/\/+$/, ""), token: body["access_token"] };
  }

  /** One REST call; a session that expired is renewed once (client credentials). */
  /** One REST call; a session that expired is renewed once (client credentials). */
  async call<T>(method: string, path: string, body?: unknown, kind: "read" | "write" = "read"): Promise<T> {
    return withLimits(
      async () => {
        this.session ??= await this.login();
        for (let attempt = 0; ; attempt++) {
          this.calls[kind === "read" ? "reads" : "writes"]++;
          const session = this.session;
          let response: Response;
          try {
            response = await fetch(`${session.instance}${path}`, {
              method,
              headers: {
                authorization: `Bearer ${session.token}`,
                accept: "application/json",
                ...(body === undefined ? {} : { "content-type": "application/json" }),
              },
              ...(body === undefined ? {} : { body: JSON.stringify(body) }),
              signal: AbortSignal.timeout(60_000),
            });
          } catch (error) {
            throw new CrmError("failed", `Salesforce could not be reached (${(error as Error).message})`);
          }
          const text = await response.text();
          const parsed = text ? (JSON.parse(text) as unknown) : null;
          if (response.ok) return parsed as T;
          const first = Array.isArray(parsed)
            ? (parsed[0] as { errorCode?: string; message?: string })
            : undefined;
          const said = first ? `${first.errorCode}: ${first.message}` : text.slice(0, 200);
          if (response.status === 401) {
            if (attempt === 0 && this.options.clientId) {
              this.session = await this.login();
              continue;
            }
            throw new CrmError(
              "refused",
              `Salesforce refused the session (401 ${said}); check ${this.options.clientId ? "the connected app's client credentials" : "SALESFORCE_ACCESS_TOKEN"}`,
            );
          }
          if (response.status === 429 || response.status === 503)
            throw new CrmError(
              "rate_limited",
              `Salesforce is limiting calls (${response.status})`,
              retryAfterMs(response.headers.get("retry-after")),
            );
          if (first?.errorCode === "REQUEST_LIMIT_EXCEEDED")
            throw new CrmError(
              "rate_limited",
              `Salesforce's daily API limit is reached (${said})`,
              3_600_000,
            );
          throw new CrmError(
            response.status >= 500 ? "failed" : "invalid",
            `Salesforce answered ${response.status} (${said})`,
            undefined,
            response.status,
          );
        }
      },
      (error) => (error instanceof CrmError ? error : new CrmError("failed", String(error))),
      this.waiting,
    );
  }

  /** One page of a SOQL query (the first, or the one `after` points to), and the next page's address. */
  async query(
    soql: string,
    after: string | null,
  ): Promise<{ records: Record<string, unknown>[]; after: string | null }> {
    const path = after ?? `${this.base}/query?q=${encodeURIComponent(soql)}`;
    const result = await this.call<QueryResult>("GET", path);
    return { records: result.records, after: result.done ? null : (result.nextRecordsUrl ?? null) };
  }
}

export function toContact(r: Record<string, unknown>, object: string, stage: string | null): PulledContact {
  return {
    crmId: String(r["Id"]),
    object,
    email: str(r["Email"])?.trim().toLowerCase() ?? null,
    firstName: str(r["FirstName"]),
    lastName: str(r["LastName"]),
    source: str(r["LeadSource"]),
    stage,
    createdAt: time(r["CreatedDate"]),
    updatedAt: time(r["LastModifiedDate"]) ?? 0,
  };
}

export function toCompany(r: Record<string, unknown>): PulledCompany {
  return {
    crmId: String(r["Id"]),
    name: str(r["Name"]),
    domain:
      str(r["Website"])
        ?.replace(/^https?:\/\//, "")
        .replace(/\/.*$/, "") ?? null,
    industry: str(r["Industry"]),
    updatedAt: time(r["LastModifiedDate"]) ?? 0,
  };
}

export function toDeal(r: Record<string, unknown>): PulledDeal {
  return {
    crmId: String(r["Id"]),
    name: str(r["Name"]),
    stage: str(r["StageName"]),
    won: r["IsWon"] === true,
    amount: typeof r["Amount"] === "number" ? String(r["Amount"]) : str(r["Amount"]),
    currency: str(r["CurrencyIsoCode"]),
    close: str(r["CloseDate"]),
    contactCrmId: str(r["ContactId"]),
    source: str(r["LeadSource"]),
    updatedAt: time(r["LastModifiedDate"]) ?? 0,
  };
}
