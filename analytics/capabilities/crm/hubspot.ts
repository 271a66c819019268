import { Client } from "@hubspot/api-client";
import { retryAfterMs } from "../sources/index.ts";
import {
  type CrmConnector,
  CrmError,
  type FieldSpec,
  type OutRecord,
  type Page,
  type Position,
  type PulledDeal,
  type Refused,
  type Upserted,
  type Waiting,
  withLimits,
} from "./connector.ts";
import {
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  DEAL_PROPERTIES,
  type HubSpotObject,
  instant,
  toCompany,
  toContact,
  toDeal,
} from "./hubspot-records.ts";

/*
 * HubSpot through its Node client (@hubspot/api-client), pointed at HUBSPOT_BASE_URL. The
 * client's own retries are off and its limiter spaces calls by HUBSPOT_MIN_INTERVAL_MS; Lift
 * waits out 429s itself, by Retry-After or HubSpot's X-HubSpot-RateLimit headers.
 *
 * Pulls: the first one pages through every record (GET /crm/v3/objects/…, `after` to the end);
 * later ones search for records modified since the last (POST …/search, sorted by the modified
 * date), and start the search again from the latest date seen before its 10,000-result limit.
 */

const SEARCH_LIMIT = 10_000;
const PAGE = 100;

/** Lift's name → HubSpot's property name. */
export const hubspotProperty = (name: string) => `lift_${name.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`;
/** HubSpot keeps its global email opt-out read-only; Lift's own flag says who unsubscribed from Lift's mail. */
const OPT_OUT = "lift_email_opt_out";

function classify(error: unknown): CrmError {
  if (error instanceof CrmError) return error;
  const e = error as { code?: number; headers?: Record<string, string>; body?: unknown; message?: string };
  const body = (typeof e.body === "object" && e.body !== null ? e.body : {}) as Record<string, unknown>;
  const said = typeof body["message"] === "string" ? (body["message"] as string) : "";
  if (typeof e.code !== "number")
    return new CrmError("failed", `HubSpot could not be reached (${e.message ?? String(error)})`);
  if (e.code === 401)
    return new CrmError(
      "refused",
      `HubSpot refused the token (401${said ? `: ${said}` : ""}); check HUBSPOT_TOKEN (a private app's access token)`,
    );
  if (e.code === 403)
    return new CrmError(
      "refused",
      `HubSpot refused the call (403${said ? `: ${said}` : ""}); the private app needs the crm.objects.contacts, deals, companies, lists and schemas scopes`,
    );
  if (e.code === 429) {
    const headers = e.headers ?? {};
    const interval = Number(headers["x-hubspot-ratelimit-interval-milliseconds"]);
    const wait =
      retryAfterMs(headers["retry-after"]) ??
      (Number.isFinite(interval) && interval > 0 ? Math.min(interval, 10_000) : undefined);
    return new CrmError("rate_limited", `HubSpot rate limit (429${said ? `: ${said}` : ""})`, wait);
  }
  return new CrmError(
    e.code >= 500 ? "failed" : "invalid",
    `HubSpot answered ${e.code}${said ? `: ${said}` : ""}`,
    undefined,
    e.code,
  );
}

export class HubSpot implements CrmConnector {
  readonly provider = "hubspot" as const;
  readonly batchSize = PAGE;
  readonly calls = { reads: 0, writes: 0 };
  private readonly client: Client;

  constructor(
    options: { token: string; baseUrl: string; minIntervalMs: number },
    private readonly waiting: Waiting,
  ) {
    this.client = new Client({
      accessToken: options.token,
      basePath: options.baseUrl.replace(/\/+$/, ""),
      numberOfApiCallRetries: 0,
      // Its limiter (Bottleneck) spaces calls; at 0 it is left out, as it costs ~5 ms a call.
      ...(options.minIntervalMs > 0
        ? { limiterOptions: { minTime: options.minIntervalMs, maxConcurrent: 1 } }
        : {}),
    });
  }

  private read<T>(call: () => Promise<T>): Promise<T> {
    return withLimits(
      () => {
        this.calls.reads++;
        return call();
      },
      classify,
      this.waiting,
    );
  }

  private write<T>(call: () => Promise<T>): Promise<T> {
    return withLimits(
      () => {
        this.calls.writes++;
        return call();
      },
      classify,
      this.waiting,
    );
  }

  readonly objects = [
    {
      object: "contacts",
      kind: "contact" as const,
      page: (p: Position) => this.page("contacts", CONTACT_PROPERTIES, "lastmodifieddate", p, toContact),
    },
    {
      object: "companies",
      kind: "company" as const,
      page: (p: Position) => this.page("companies", COMPANY_PROPERTIES, "hs_lastmodifieddate", p, toCompany),
    },
    {
      object: "deals",
      kind: "deal" as const,
      page: async (p: Position) => {
        // Listed deals carry their contacts (asked for); searched ones do not, and get them in one batch read.
        const page = await this.page("deals", DEAL_PROPERTIES, "hs_lastmodifieddate", p, (o) => o, [
          "contacts",
        ]);
        // A page is listed (not searched) when there is no modified-since mark: see page().
        return { ...page, records: await this.withContacts(page.records, p.since === null) };
      },
    },
  ];

  private async page<T>(
    type: "contacts" | "companies" | "deals",
    properties: string[],
    modified: string,
    position: Position,
    read: (o: HubSpotObject) => T,
    associations?: string[],
  ): Promise<Page<T>> {
    const api = this.client.crm[type];
    if (position.since === null) {
      const response = (await this.read(() =>
        api.basicApi.getPage(PAGE, position.after ?? undefined, properties, undefined, associations, false),
      )) as { results: HubSpotObject[]; paging?: { next?: { after: string } } };
      return { records: response.results.map(read), after: response.paging?.next?.after ?? null };
    }
    const request = {
      filterGroups: [
        { filters: [{ propertyName: modified, operator: "GTE", value: String(position.since) }] },
      ],
      sorts: [{ propertyName: modified, direction: "ASCENDING" }] as unknown as string[],
      properties,
      limit: PAGE,
      ...(position.after ? { after: position.after } : {}),
    };
    const response = (await this.read(() => api.searchApi.doSearch(request as never))) as {
      results: HubSpotObject[];
      paging?: { next?: { after: string } };
    };
    const records = response.results.map(read);
    const next = response.paging?.next?.after ?? null;
    if (next !== null && Number(next) + PAGE > SEARCH_LIMIT) {
      const last = response.results.at(-1);
      const latest = last ? instant(last.properties[modified], last.updatedAt.getTime()) : null;
      // Records sharing one modified date past the limit: page them all the slow way instead.
      if (latest === null || latest <= position.since) return { records, after: null, restartFrom: null };
      return { records, after: null, restartFrom: latest };
    }
    return { records, after: next };
  }

  /** Deals read by a search carry no associations: their first contact is read in one batch call. */
  private async withContacts(deals: HubSpotObject[], listed: boolean): Promise<PulledDeal[]> {
    const contacts = new Map<string, string>();
    for (const d of deals) {
      const first = d.associations?.["contacts"]?.results[0]?.id;
      if (first) contacts.set(d.id, first);
    }
    // Listed deals were asked for their contacts: one without any has none.
    const missing = listed ? [] : deals.filter((d) => !d.associations).map((d) => ({ id: d.id }));
    if (missing.length > 0) {
      const response = (await this.read(() =>
        this.client.crm.associations.v4.batchApi.getPage("deals", "contacts", { inputs: missing }),
      )) as { results: { _from: { id: string }; to: { toObjectId: string | number }[] }[] };
      for (const r of response.results)
        if (r.to[0]) contacts.set(String(r._from.id), String(r.to[0].toObjectId));
    }
    return deals.map((d) => toDeal(d, contacts.get(d.id) ?? null));
  }

  async ensureFields(fields: readonly FieldSpec[]): Promise<void> {
    const existing = (await this.read(() => this.client.crm.properties.coreApi.getAll("contacts"))) as {
      results: { name: string }[];
    };
    const have = new Set(existing.results.map((p) => p.name));
    const wanted = [
      ...fields,
      { name: "email_opt_out", label: "Unsubscribed from Lift email", type: "bool" as const },
    ];
    const missing = wanted.filter((f) => !have.has(hubspotProperty(f.name)));
    if (missing.length === 0) return;
    await this.write(() =>
      this.client.crm.properties.batchApi.create("contacts", {
        inputs: missing.map((f) => ({
          name: hubspotProperty(f.name),
          label: `Lift: ${f.label}`,
          groupName: "contactinformation",
          type: f.type === "number" ? "number" : f.type === "bool" ? "bool" : "string",
          fieldType: f.type === "number" ? "number" : f.type === "bool" ? "booleancheckbox" : "text",
          ...(f.type === "bool"
            ? {
                options: [
                  { label: "Yes", value: "true", displayOrder: 0, hidden: false },
                  { label: "No", value: "false", displayOrder: 1, hidden: false },
                ],
              }
            : {}),
        })),
      } as never),
    );
  }

  async upsert(records: readonly OutRecord[]): Promise<{ ok: Upserted[]; refused: Refused[] }> {
    const inputs = records.map((r) => {
      const properties: Record<string, string> = { email: r.email };
      if (r.firstName) properties["firstname"] = r.firstName;
      if (r.lastName) properties["lastname"] = r.lastName;
      for (const [name, value] of Object.entries(r.properties))
        properties[hubspotProperty(name)] = value === null ? "" : String(value);
      properties[OPT_OUT] = String(r.optedOut);
      return { id: r.email, idProperty: "email", properties };
    });
    const response = (await this.write(() => this.client.crm.contacts.batchApi.upsert({ inputs }))) as {
      results: { id: string; _new?: boolean; properties: Record<string, string | null> }[];
      errors?: { message: string; context?: Record<string, string[]> }[];
    };
    const byEmail = new Map(records.map((r) => [r.email.toLowerCase(), r]));
    const ok: Upserted[] = [];
    for (const result of response.results) {
      const record = byEmail.get((result.properties["email"] ?? "").toLowerCase());
      if (!record) continue;
      byEmail.delete(record.email.toLowerCase());
      ok.push({ customerId: record.customerId, crmId: result.id, created: result._new === true });
    }
    const refused: Refused[] = [];
    const errors = response.errors ?? [];
    for (const record of byEmail.values()) {
      const own = errors.find((e) =>
        Object.values(e.context ?? {}).some((ids) =>
          ids.some((id) => id.toLowerCase() === record.email.toLowerCase()),
        ),
      );
      refused.push({
        customerId: record.customerId,
        email: record.email,
        reason: (own ?? errors[0])?.message ?? "not in HubSpot's answer",
      });
    }
    return { ok, refused };
  }

  async ensureList(name: string): Promise<string> {
    try {
      const found = (await this.read(() => this.client.crm.lists.listsApi.getByName(name, "0-1"))) as {
        list: { listId: string };
      };
      return String(found.list.listId);
    } catch (error) {
      if (!(error instanceof CrmError) || error.status !== 404) throw error;
    }
    const made = (await this.write(() =>
      this.client.crm.lists.listsApi.create({ name, objectTypeId: "0-1", processingType: "MANUAL" }),
    )) as { list: { listId: string } };
    return String(made.list.listId);
  }

  async changeMembers(
    listId: string,
    add: readonly { customerId: string; crmId: string }[],
    remove: readonly { customerId: string; memberId: string }[],
  ) {
    const added: [string, string][] = [];
    const removed: string[] = [];
    const refused: Refused[] = [];
    // HubSpot takes up to 100,000 record ids a call; Lift sends 10,000 at a time.
    const size = 10_000;
    for (let i = 0; i < Math.max(add.length, remove.length); i += size) {
      const adding = add.slice(i, i + size);
      const removing = remove.slice(i, i + size);
      const response = (await this.write(() =>
        this.client.crm.lists.membershipsApi.addAndRemove(listId, {
          recordIdsToAdd: adding.map((a) => a.crmId),
          recordIdsToRemove: removing.map((r) => r.memberId),
        }),
      )) as { recordIdsMissing?: string[] };
      const missing = new Set(response.recordIdsMissing ?? []);
      for (const a of adding)
        if (missing.has(a.crmId))
          refused.push({
            customerId: a.customerId,
            email: "",
            reason: "HubSpot has no such contact any more",
          });
        else added.push([a.customerId, a.crmId]);
      for (const r of removing) removed.push(r.customerId);
    }
    return { added, removed, refused };
  }

  async erase(email: string | null, links: readonly { crmId: string }[]): Promise<string> {
    const targets = email
      ? [{ objectId: email, idProperty: "email" }]
      : links.map((l) => ({ objectId: l.crmId, idProperty: undefined }));
    let done = 0;
    for (const target of targets) {
      try {
        await this.write(() => this.client.crm.contacts.basicApi.purge(target as never));
        done++;
      } catch (error) {
        if (!(error instanceof CrmError) || error.status !== 404) throw error;
      }
    }
    return done > 0 ? "HubSpot: the contact permanently deleted (GDPR delete)" : "HubSpot: no such contact";
  }
}
