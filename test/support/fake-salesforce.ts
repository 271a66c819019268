import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyText, LoopbackApi } from "./loopback-api.ts";

/*
 * Salesforce's REST API on loopback, in its documented wire format (Salesforce REST API
 * Developer Guide: "OAuth 2.0 Client Credentials Flow", "Query" with nextRecordsUrl paging,
 * "sObject Describe", "sObject Collections" create/update/upsert/delete with allOrNone, and
 * the Tooling API's CustomField): enough SOQL for the queries Lift sends. Error bodies are
 * arrays of {message, errorCode}; save results {id, success, errors, created}. Written for
 * Lift's tests from that guide.
 */

export type SfRecord = Record<string, unknown> & { Id: string; LastModifiedDate: string };

const PREFIX: Record<string, string> = {
  Contact: "003",
  Lead: "00Q",
  Account: "001",
  Opportunity: "006",
  Campaign: "701",
  CampaignMember: "00v",
};

const STANDARD_FIELDS: Record<string, string[]> = {
  Contact: [
    "Id",
    "Email",
    "FirstName",
    "LastName",
    "LeadSource",
    "HasOptedOutOfEmail",
    "CreatedDate",
    "LastModifiedDate",
  ],
  Lead: [
    "Id",
    "Email",
    "FirstName",
    "LastName",
    "LeadSource",
    "Status",
    "IsConverted",
    "HasOptedOutOfEmail",
    "CreatedDate",
    "LastModifiedDate",
  ],
  Opportunity: [
    "Id",
    "Name",
    "StageName",
    "Amount",
    "CloseDate",
    "IsWon",
    "IsClosed",
    "LeadSource",
    "ContactId",
    "LastModifiedDate",
  ],
};

export class FakeSalesforce extends LoopbackApi {
  clientId = "lift-client";
  clientSecret = "lift-secret";
  readonly objects: Record<string, SfRecord[]> = {
    Contact: [],
    Lead: [],
    Account: [],
    Opportunity: [],
    Campaign: [],
    CampaignMember: [],
  };
  readonly custom: Record<string, Set<string>> = { Contact: new Set(), Lead: new Set() };
  readonly log: { method: string; path: string; status: number }[] = [];
  readonly refuseEmails = new Map<string, string>();
  /** Records a query page holds (2,000 in Salesforce; less in tests). */
  pageSize = 2000;
  /** After this many more query pages, the next answers 500 until set back to null. */
  breakAfterPages: number | null = null;
  /** The daily API limit is reached. */
  overLimit = false;
  logins = 0;
  private tokens = new Set<string>();
  private locators = new Map<string, { records: SfRecord[]; at: number }>();
  private seq = 1;

  /** Every session ends (as when a token expires): the next call gets 401 INVALID_SESSION_ID. */
  expireSessions() {
    this.tokens.clear();
  }

  /** Query cursors are forgotten (as Salesforce does after 15 minutes idle). */
  forgetLocators() {
    this.locators.clear();
  }

  id(object: string): string {
    return `${PREFIX[object] ?? "a00"}${String(this.seq++).padStart(12, "0")}AAA`;
  }

  add(
    object: string,
    items: Record<string, unknown>[],
    from = Date.parse("2026-10-01T00:00:00Z"),
  ): SfRecord[] {
    return items.map((item, i) => {
      const at = new Date(from + i * 1000).toISOString().replace("Z", "+0000");
      const record: SfRecord = { Id: this.id(object), CreatedDate: at, LastModifiedDate: at, ...item };
      this.objects[object]!.push(record);
      return record;
    });
  }

  calls(method: string, pattern: RegExp): number {
    return this.log.filter((l) => l.method === method && pattern.test(l.path) && l.status < 300).length;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse) {
    const text = await bodyText(req);
    const url = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    const answer = (status: number, body: unknown) => {
      this.log.push({ method, path: url.pathname, status });
      res.writeHead(status, { "content-type": "application/json;charset=UTF-8" });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (url.pathname === "/services/oauth2/token" && method === "POST") {
      const form = new URLSearchParams(text);
      if (
        form.get("grant_type") !== "client_credentials" ||
        form.get("client_id") !== this.clientId ||
        form.get("client_secret") !== this.clientSecret
      )
        return answer(400, { error: "invalid_client", error_description: "invalid client credentials" });
      this.logins++;
      const token = `00Dxx!token${this.logins}`;
      this.tokens.add(token);
      return answer(200, {
        access_token: token,
        instance_url: this.url,
        id: `${this.url}/id/00Dxx0000001gPLEAY/005xx000001X8Uz`,
        token_type: "Bearer",
        issued_at: String(Date.now()),
        signature: "c2lnbmF0dXJl",
      });
    }
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!this.tokens.has(token))
      return answer(401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    if (this.overLimit)
      return answer(403, [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }]);
    try {
      const [status, body] = this.route(method, url, text ? JSON.parse(text) : null);
      answer(status, body);
    } catch (error) {
      answer(500, [{ message: String(error), errorCode: "UNKNOWN_EXCEPTION" }]);
    }
  }

  private route(method: string, url: URL, body: unknown): [number, unknown] {
    const path = url.pathname;
    const base = /^\/services\/data\/v\d+\.0/.exec(path)?.[0];
    if (!base) return [404, [{ message: "The requested resource does not exist", errorCode: "NOT_FOUND" }]];
    const rest = path.slice(base.length);
    if (rest === "/query" && method === "GET")
      return this.pageOf(this.query(url.searchParams.get("q") ?? ""), base);
    let m = /^\/query\/(.+)$/.exec(rest);
    if (m && method === "GET") {
      const locator = this.locators.get(m[1]!);
      if (!locator) return [400, [{ message: "invalid query locator", errorCode: "INVALID_QUERY_LOCATOR" }]];
      return this.pageOf(locator.records, base, locator.at);
    }
    m = /^\/sobjects\/(\w+)\/describe$/.exec(rest);
    if (m && method === "GET") {
      const object = m[1]!;
      const names = [...(STANDARD_FIELDS[object] ?? ["Id", "Name"]), ...(this.custom[object] ?? [])];
      return [
        200,
        {
          name: object,
          fields: names.map((name) => ({
            name,
            type: name === "Id" ? "id" : "string",
            custom: name.endsWith("__c"),
          })),
        },
      ];
    }
    if (rest === "/tooling/sobjects/CustomField" && method === "POST") {
      const b = body as { FullName: string; Metadata: { type: string } };
      const [object, field] = b.FullName.split(".");
      this.custom[object!]!.add(field!);
      return [201, { id: this.id("CustomField"), success: true, errors: [], warnings: [], infos: [] }];
    }
    m = /^\/sobjects\/(\w+)$/.exec(rest);
    if (m && method === "POST") {
      const [record] = this.add(m[1]!, [body as Record<string, unknown>], Date.now());
      return [201, { id: record!.Id, success: true, errors: [] }];
    }
    m = /^\/composite\/sobjects\/(\w+)\/(\w+)$/.exec(rest);
    if (m && method === "PATCH")
      return this.upsert(m[1]!, m[2]!, body as { records: Record<string, unknown>[] });
    if (rest === "/composite/sobjects" && (method === "PATCH" || method === "POST")) {
      const records = (body as { records: (Record<string, unknown> & { attributes: { type: string } })[] })
        .records;
      if (records.length > 200)
        return [400, [{ message: "Maximum number of records is 200", errorCode: "EXCEEDED_ID_LIMIT" }]];
      return [200, records.map((r) => (method === "PATCH" ? this.update(r) : this.create(r)))];
    }
    if (rest === "/composite/sobjects" && method === "DELETE") {
      const ids = (url.searchParams.get("ids") ?? "").split(",");
      return [
        200,
        ids.map((id) => {
          for (const list of Object.values(this.objects)) {
            const at = list.findIndex((r) => r.Id === id);
            if (at >= 0) {
              list.splice(at, 1);
              return { id, success: true, errors: [] };
            }
          }
          return {
            id,
            success: false,
            errors: [{ statusCode: "ENTITY_IS_DELETED", message: "entity is deleted", fields: [] }],
          };
        }),
      ];
    }
    return [404, [{ message: `No route ${method} ${rest}`, errorCode: "NOT_FOUND" }]];
  }

  private check(
    object: string,
    record: Record<string, unknown>,
  ): { statusCode: string; message: string; fields: string[] } | null {
    const email = typeof record["Email"] === "string" ? record["Email"].toLowerCase() : null;
    if (email && this.refuseEmails.has(email))
      return {
        statusCode: "INVALID_EMAIL_ADDRESS",
        message: this.refuseEmails.get(email)!,
        fields: ["Email"],
      };
    for (const key of Object.keys(record))
      if (key.endsWith("__c") && !this.custom[object]?.has(key))
        return {
          statusCode: "INVALID_FIELD",
          message: `No such column '${key}' on sobject of type ${object}`,
          fields: [key],
        };
    return null;
  }

  private upsert(
    object: string,
    field: string,
    body: { records: Record<string, unknown>[] },
  ): [number, unknown] {
    if (body.records.length > 200)
      return [400, [{ message: "Maximum number of records is 200", errorCode: "EXCEEDED_ID_LIMIT" }]];
    if (!this.custom[object]?.has(field))
      return [
        404,
        [
          {
            message: `Provided external ID field does not exist or is not accessible: ${field}`,
            errorCode: "NOT_FOUND",
          },
        ],
      ];
    return [
      200,
      body.records.map(({ attributes: _attributes, ...fields }) => {
        const problem = this.check(object, fields);
        if (problem) return { id: null, success: false, errors: [problem], created: false };
        const existing = this.objects[object]!.find((r) => r[field] === fields[field]);
        const now = new Date().toISOString().replace("Z", "+0000");
        if (existing) {
          Object.assign(existing, fields, { LastModifiedDate: now });
          return { id: existing.Id, success: true, errors: [], created: false };
        }
        const [made] = this.add(object, [fields], Date.now());
        return { id: made!.Id, success: true, errors: [], created: true };
      }),
    ];
  }

  private update(record: Record<string, unknown> & { attributes: { type: string } }) {
    const { attributes, id, ...fields } = record;
    const object = attributes.type;
    const existing = this.objects[object]?.find((r) => r.Id === id);
    if (!existing)
      return {
        id,
        success: false,
        errors: [{ statusCode: "ENTITY_IS_DELETED", message: "entity is deleted", fields: [] }],
      };
    const problem = this.check(object, fields);
    if (problem) return { id, success: false, errors: [problem] };
    Object.assign(existing, fields, { LastModifiedDate: new Date().toISOString().replace("Z", "+0000") });
    return { id, success: true, errors: [] };
  }

  private create(record: Record<string, unknown> & { attributes: { type: string } }) {
    const { attributes, ...fields } = record;
    if (attributes.type === "CampaignMember") {
      const who = (fields["ContactId"] ?? fields["LeadId"]) as string;
      const duplicate = this.objects["CampaignMember"]!.some(
        (m) => m["CampaignId"] === fields["CampaignId"] && (m["ContactId"] === who || m["LeadId"] === who),
      );
      if (duplicate)
        return {
          id: null,
          success: false,
          errors: [{ statusCode: "DUPLICATE_VALUE", message: "Already a campaign member.", fields: [] }],
        };
    }
    const [made] = this.add(attributes.type, [fields], Date.now());
    return { id: made!.Id, success: true, errors: [] };
  }

  /** The SOQL Lift sends: SELECT … FROM X [WHERE a AND b …] [ORDER BY …] [LIMIT n]. */
  private query(soql: string): SfRecord[] {
    const m = /^SELECT (.+?) FROM (\w+)(?: WHERE (.+?))?(?: ORDER BY (.+?))?(?: LIMIT (\d+))?$/i.exec(
      soql.trim(),
    );
    if (!m) throw new Error(`cannot read ${soql}`);
    const [, fields, object, where, order, limit] = m;
    for (const f of fields!.split(",").map((f) => f.trim()))
      if (f === "CurrencyIsoCode")
        throw new Error("No such column 'CurrencyIsoCode' on entity 'Opportunity'");
    let rows = [...(this.objects[object!] ?? [])];
    for (const condition of (where ?? "").split(/ AND (?![^(]*\))/).filter(Boolean))
      rows = rows.filter((r) => this.matches(r, condition.trim()));
    if (order)
      rows.sort(
        (a, b) => Date.parse(a.LastModifiedDate) - Date.parse(b.LastModifiedDate) || a.Id.localeCompare(b.Id),
      );
    return limit ? rows.slice(0, Number(limit)) : rows;
  }

  private matches(r: SfRecord, condition: string): boolean {
    let m = /^LastModifiedDate >= (\S+)$/.exec(condition);
    if (m) return Date.parse(r.LastModifiedDate) >= Date.parse(m[1]!);
    m = /^(\w+) = (true|false)$/.exec(condition);
    if (m) return Boolean(r[m[1]!]) === (m[2] === "true");
    m = /^(\w+) = '((?:[^'\\]|\\.)*)'$/.exec(condition);
    if (m) return r[m[1]!] === m[2]!.replace(/\\(.)/g, "$1");
    m = /^\((.+)\)$/.exec(condition);
    if (m) return m[1]!.split(" OR ").some((part) => this.matches(r, part.trim()));
    m = /^(\w+) IN \((.+)\)$/.exec(condition);
    if (m)
      return m[2]!
        .split(",")
        .map((s) => s.trim().replace(/^'|'$/g, ""))
        .includes(String(r[m[1]!]));
    throw new Error(`cannot read condition ${condition}`);
  }

  private pageOf(records: SfRecord[], base: string, at = 0): [number, unknown] {
    if (this.breakAfterPages !== null) {
      if (this.breakAfterPages <= 0)
        return [500, [{ message: "An unexpected error occurred", errorCode: "UNKNOWN_EXCEPTION" }]];
      this.breakAfterPages--;
    }
    const page = records.slice(at, at + this.pageSize);
    const done = at + this.pageSize >= records.length;
    let nextRecordsUrl: string | undefined;
    if (!done) {
      const locator = `01gxx0000000${this.seq++}-${at + this.pageSize}`;
      this.locators.set(locator, { records, at: at + this.pageSize });
      nextRecordsUrl = `${base}/query/${locator}`;
    }
    const object = (r: SfRecord) => Object.keys(PREFIX).find((k) => r.Id.startsWith(PREFIX[k]!)) ?? "sObject";
    return [
      200,
      {
        totalSize: records.length,
        done,
        ...(nextRecordsUrl ? { nextRecordsUrl } : {}),
        records: page.map((r) => ({
          attributes: { type: object(r), url: `${base}/sobjects/${object(r)}/${r.Id}` },
          ...r,
        })),
      },
    ];
  }
}
