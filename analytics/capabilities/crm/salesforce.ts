import { retryAfterMs } from "../sources/index.ts";
import {
  type CrmConnector,
  CrmError,
  chunks,
  type FieldSpec,
  type OutRecord,
  type Page,
  type Position,
  type PulledCompany,
  type PulledContact,
  type PulledDeal,
  type Refused,
  type Upserted,
  type Waiting,
  withLimits,
} from "./connector.ts";

/*
 * Salesforce over its REST API with fetch: OAuth 2.0 client credentials (a new token when a
 * session expires) or a given token; SOQL queries paged by nextRecordsUrl to the end; writes
 * through sObject Collections (200 records a call, allOrNone false: a refused record is reported
 * and the rest kept); Lift's fields made through the Tooling API when missing.
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

interface SaveResult {
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
function soql(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ""), "");
}

/** A SOQL date-time literal. */
const soqlTime = (ms: number) => new Date(ms).toISOString();
const soqlText = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
/** Salesforce writes instants as 2026-11-03T10:00:00.000+0000 (an offset without a colon). */
const time = (v: unknown) => {
  const at = typeof v === "string" ? Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2")) : Number.NaN;
  return Number.isFinite(at) ? at : null;
};

export class Salesforce implements CrmConnector {
  readonly provider = "salesforce" as const;
  readonly batchSize = 200;
  readonly calls = { reads: 0, writes: 0 };
  private session: { instance: string; token: string } | null = null;
  private currencyField: boolean | null = null;

  constructor(
    private readonly options: SalesforceOptions,
    private readonly waiting: Waiting,
  ) {}

  private get api() {
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
  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    kind: "read" | "write" = "read",
  ): Promise<T> {
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

  private async query(
    soql: string,
    after: string | null,
  ): Promise<{ records: Record<string, unknown>[]; after: string | null }> {
    const path = after ?? `${this.api}/query?q=${encodeURIComponent(soql)}`;
    const result = await this.call<QueryResult>("GET", path);
    return { records: result.records, after: result.done ? null : (result.nextRecordsUrl ?? null) };
  }

  /** A query paged from where it stopped; an expired query cursor starts it again from the same mark. */
  private async page<T>(
    select: string,
    where: string[],
    position: Position,
    read: (r: Record<string, unknown>) => T,
  ): Promise<Page<T>> {
    const filters = [
      ...where,
      ...(position.since === null ? [] : [`LastModifiedDate >= ${soqlTime(position.since)}`]),
    ];
    const soql = `${select}${filters.length > 0 ? ` WHERE ${filters.join(" AND ")}` : ""} ORDER BY LastModifiedDate, Id`;
    try {
      const { records, after } = await this.query(soql, position.after);
      return { records: records.map(read), after };
    } catch (error) {
      if (position.after && error instanceof CrmError && /INVALID_QUERY_LOCATOR/.test(error.message))
        return { records: [], after: null, restartFrom: position.since };
      throw error;
    }
  }

  readonly objects = [
    {
      object: "contacts",
      kind: "contact" as const,
      page: (p: Position) =>
        this.page(
          soql`SELECT Id, Email, FirstName, LastName, LeadSource, CreatedDate, LastModifiedDate FROM Contact`,
          [],
          p,
          (r) => toContact(r, "contact", null),
        ),
    },
    {
      object: "leads",
      kind: "contact" as const,
      page: (p: Position) =>
        this.page(
          soql`SELECT Id, Email, FirstName, LastName, LeadSource, Status, CreatedDate, LastModifiedDate FROM Lead`,
          ["IsConverted = false"],
          p,
          (r) => toContact(r, "lead", str(r["Status"])),
        ),
    },
    {
      object: "accounts",
      kind: "company" as const,
      page: (p: Position) =>
        this.page(soql`SELECT Id, Name, Website, Industry, LastModifiedDate FROM Account`, [], p, toCompany),
    },
    {
      object: "opportunities",
      kind: "deal" as const,
      page: async (p: Position) => {
        // Multi-currency orgs give each opportunity a currency; the others have one, the org's.
        this.currencyField ??= (await this.fieldsOf("Opportunity")).has("CurrencyIsoCode");
        return this.page(
          soql`SELECT Id, Name, StageName, Amount, CloseDate, IsWon, IsClosed, LeadSource, ContactId, LastModifiedDate${this.currencyField ? ", CurrencyIsoCode" : ""} FROM Opportunity`,
          [],
          p,
          toDeal,
        );
      },
    },
  ];

  private async fieldsOf(object: string): Promise<Set<string>> {
    const described = await this.call<{ fields: { name: string }[] }>(
      "GET",
      `${this.api}/sobjects/${object}/describe`,
    );
    return new Set(described.fields.map((f) => f.name));
  }

  async ensureFields(fields: readonly FieldSpec[]): Promise<void> {
    for (const object of ["Contact", "Lead"]) {
      const have = await this.fieldsOf(object);
      const wanted: (FieldSpec & { api: string; key?: boolean })[] = [
        ...fields.map((f) => ({ ...f, api: salesforceField(f.name) })),
        ...(object === "Contact"
          ? [
              {
                name: "id",
                label: "Lift customer id",
                type: "text" as const,
                api: this.options.externalId,
                key: true,
              },
            ]
          : []),
      ];
      for (const field of wanted.filter((w) => !have.has(w.api))) {
        const metadata =
          field.type === "number"
            ? { type: "Number", precision: 18, scale: 4 }
            : field.type === "bool"
              ? { type: "Checkbox", defaultValue: false }
              : { type: "Text", length: 255, ...(field.key ? { externalId: true, unique: true } : {}) };
        await this.call(
          "POST",
          `${this.api}/tooling/sobjects/CustomField`,
          { FullName: `${object}.${field.api}`, Metadata: { label: field.label.slice(0, 40), ...metadata } },
          "write",
        );
      }
    }
  }

  private fieldsFor(record: OutRecord): Record<string, unknown> {
    const fields: Record<string, unknown> = { HasOptedOutOfEmail: record.optedOut };
    for (const [name, value] of Object.entries(record.properties)) fields[salesforceField(name)] = value;
    return fields;
  }

  async upsert(records: readonly OutRecord[]): Promise<{ ok: Upserted[]; refused: Refused[] }> {
    const ok: Upserted[] = [];
    const refused: Refused[] = [];
    const take = (batch: readonly OutRecord[], results: SaveResult[]) =>
      batch.forEach((record, i) => {
        const result = results[i];
        if (result?.success && result.id)
          ok.push({ customerId: record.customerId, crmId: result.id, created: result.created === true });
        else
          refused.push({
            customerId: record.customerId,
            email: record.email,
            reason:
              result?.errors.map((e) => `${e.statusCode}: ${e.message}`).join("; ") ||
              "not in Salesforce's answer",
          });
      });
    const known = records.filter((r) => r.crmId);
    const fresh = records.filter((r) => !r.crmId);
    if (known.length > 0) {
      const results = await this.call<SaveResult[]>(
        "PATCH",
        `${this.api}/composite/sobjects`,
        {
          allOrNone: false,
          records: known.map((r) => ({
            attributes: { type: r.crmId!.startsWith("00Q") ? "Lead" : "Contact" },
            id: r.crmId,
            ...this.fieldsFor(r),
          })),
        },
        "write",
      );
      take(known, results);
    }
    if (fresh.length > 0) {
      const results = await this.call<SaveResult[]>(
        "PATCH",
        `${this.api}/composite/sobjects/Contact/${this.options.externalId}`,
        {
          allOrNone: false,
          records: fresh.map((r) => ({
            attributes: { type: "Contact" },
            [this.options.externalId]: r.customerId,
            Email: r.email,
            FirstName: r.firstName,
            // Salesforce requires a contact's last name; integrations write this when none is known.
            LastName: r.lastName ?? "[not provided]",
            ...this.fieldsFor(r),
          })),
        },
        "write",
      );
      take(fresh, results);
    }
    return { ok, refused };
  }

  async ensureList(name: string): Promise<string> {
    const found = await this.query(
      soql`SELECT Id FROM Campaign WHERE Name = ${soqlText(name)} LIMIT 1`,
      null,
    );
    const id = str(found.records[0]?.["Id"]);
    if (id) return id;
    const made = await this.call<SaveResult>(
      "POST",
      `${this.api}/sobjects/Campaign`,
      { Name: name, IsActive: true },
      "write",
    );
    if (!made.id) throw new CrmError("invalid", `Salesforce did not make the campaign ${name}`);
    return made.id;
  }

  async changeMembers(
    listId: string,
    add: readonly { customerId: string; crmId: string }[],
    remove: readonly { customerId: string; memberId: string }[],
  ) {
    const added: [string, string][] = [];
    const removed: string[] = [];
    const refused: Refused[] = [];
    for (const batch of chunks(add, this.batchSize)) {
      const results = await this.call<SaveResult[]>(
        "POST",
        `${this.api}/composite/sobjects`,
        {
          allOrNone: false,
          records: batch.map((a) => ({
            attributes: { type: "CampaignMember" },
            CampaignId: listId,
            [a.crmId.startsWith("00Q") ? "LeadId" : "ContactId"]: a.crmId,
          })),
        },
        "write",
      );
      const already: { customerId: string; crmId: string }[] = [];
      batch.forEach((a, i) => {
        const r = results[i];
        if (r?.success && r.id) added.push([a.customerId, r.id]);
        else if (r?.errors.some((e) => e.statusCode === "DUPLICATE_VALUE")) already.push(a);
        else
          refused.push({
            customerId: a.customerId,
            email: "",
            reason:
              r?.errors.map((e) => `${e.statusCode}: ${e.message}`).join("; ") ||
              "not in Salesforce's answer",
          });
      });
      if (already.length > 0) {
        // Members someone else added: their ids, so Lift can take them off when they leave.
        const ids = already.map((a) => soqlText(a.crmId)).join(", ");
        const found = await this.query(
          soql`SELECT Id, ContactId, LeadId FROM CampaignMember WHERE CampaignId = ${soqlText(listId)} AND (ContactId IN (${ids}) OR LeadId IN (${ids}))`,
          null,
        );
        for (const a of already) {
          const row = found.records.find((r) => r["ContactId"] === a.crmId || r["LeadId"] === a.crmId);
          if (row) added.push([a.customerId, String(row["Id"])]);
        }
      }
    }
    for (const batch of chunks(remove, this.batchSize)) {
      const results = await this.call<SaveResult[]>(
        "DELETE",
        `${this.api}/composite/sobjects?allOrNone=false&ids=${batch.map((r) => encodeURIComponent(r.memberId)).join(",")}`,
        undefined,
        "write",
      );
      batch.forEach((r, i) => {
        const result = results[i];
        if (result?.success || result?.errors.some((e) => e.statusCode === "ENTITY_IS_DELETED"))
          removed.push(r.customerId);
        else
          refused.push({
            customerId: r.customerId,
            email: "",
            reason:
              result?.errors.map((e) => `${e.statusCode}: ${e.message}`).join("; ") ||
              "not in Salesforce's answer",
          });
      });
    }
    return { added, removed, refused };
  }

  async erase(
    _email: string | null,
    links: readonly { crmId: string; object: string; createdByLift: boolean }[],
  ): Promise<string> {
    const ours = links.filter((l) => l.createdByLift);
    const theirs = links.length - ours.length;
    let deleted = 0;
    for (const batch of chunks(ours, this.batchSize)) {
      const results = await this.call<SaveResult[]>(
        "DELETE",
        `${this.api}/composite/sobjects?allOrNone=false&ids=${batch.map((l) => encodeURIComponent(l.crmId)).join(",")}`,
        undefined,
        "write",
      );
      deleted += results.filter(
        (r) => r.success || r.errors.some((e) => e.statusCode === "ENTITY_IS_DELETED"),
      ).length;
    }
    return `Salesforce: ${deleted} record${deleted === 1 ? "" : "s"} Lift made deleted${theirs > 0 ? `; ${theirs} your team made left for them to erase` : ""}`;
  }
}

function toContact(r: Record<string, unknown>, object: string, stage: string | null): PulledContact {
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

function toCompany(r: Record<string, unknown>): PulledCompany {
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

function toDeal(r: Record<string, unknown>): PulledDeal {
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
