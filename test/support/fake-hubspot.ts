import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyText, LoopbackApi } from "./loopback-api.ts";

/*
 * A HubSpot CRM API on loopback, speaking the documented v3 wire format (developers.hubspot.com,
 * "CRM API | Contacts", "Search", "Batch upsert", "Lists v3", "Properties", "Associations v4",
 * "GDPR delete", "Error handling"): bearer tokens, `after` paging, search with filters and a
 * 10,000-result limit, batch upsert by email with 207 multi-status, static lists and their
 * memberships, 429 with HubSpot's rate-limit headers. Written for Lift's tests from those docs.
 */

type Properties = Record<string, string | null>;

export interface HsRecord {
  id: string;
  properties: Properties;
  createdAt: string;
  updatedAt: string;
  /** Deals: their contacts. */
  contacts?: string[];
}

interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

const MODIFIED: Record<string, string> = {
  contacts: "lastmodifieddate",
  companies: "hs_lastmodifieddate",
  deals: "hs_lastmodifieddate",
};

export class FakeHubSpot extends LoopbackApi {
  token = "pat-test-token";
  readonly objects: Record<string, HsRecord[]> = { contacts: [], companies: [], deals: [] };
  readonly properties = new Set(["email", "firstname", "lastname", "lifecyclestage"]);
  readonly lists = new Map<string, { name: string; members: Set<string> }>();
  readonly log: { method: string; path: string; status: number; body?: unknown }[] = [];
  readonly erased: string[] = [];
  /** After `after` more calls, the next `times` answer 429 with these headers. */
  rateLimit: { times: number; headers: Record<string, string>; after?: number } = { times: 0, headers: {} };
  /** Emails a batch upsert refuses (207), with the message. */
  readonly refuse = new Map<string, string>();
  /** After this many more list/search page reads, every read fails with 502 until set back to null. */
  breakAfterPages: number | null = null;
  private nextId = 1000;
  private nextList = 1;

  /** Adds records with consecutive ids, modified at increasing instants from `from`. */
  add(
    type: "contacts" | "companies" | "deals",
    items: Record<string, string | null | string[]>[],
    from = Date.parse("2026-10-01T00:00:00Z"),
  ) {
    return items.map((item, i) => {
      const { contacts, ...properties } = item as Properties & { contacts?: string[] };
      const at = new Date(from + i * 1000).toISOString();
      const record: HsRecord = {
        id: String(this.nextId++),
        properties: { ...properties, [MODIFIED[type]!]: at, createdate: at },
        createdAt: at,
        updatedAt: at,
        ...(contacts ? { contacts } : {}),
      };
      this.objects[type]!.push(record);
      return record;
    });
  }

  /** Changes a record's properties, as someone editing it in HubSpot at `at`. */
  edit(type: string, id: string, properties: Properties, at: number) {
    const record = this.objects[type]!.find((r) => r.id === id)!;
    Object.assign(record.properties, properties, { [MODIFIED[type]!]: new Date(at).toISOString() });
    record.updatedAt = new Date(at).toISOString();
  }

  calls(method: string, pattern: RegExp): number {
    return this.log.filter((l) => l.method === method && pattern.test(l.path) && l.status < 300).length;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse) {
    const text = await bodyText(req);
    const url = new URL(req.url ?? "/", "http://x");
    const request: Request = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      body: text ? JSON.parse(text) : null,
    };
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.log.push({ method: request.method, path: request.path, status, body: request.body });
      res.writeHead(status, { "content-type": "application/json;charset=utf-8", ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return answer(401, {
        status: "error",
        message: "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
        correlationId: "00000000-0000-0000-0000-000000000001",
        category: "INVALID_AUTHENTICATION",
      });
    if (this.rateLimit.times > 0 && (this.rateLimit.after ?? 0) > 0) this.rateLimit.after!--;
    else if (this.rateLimit.times > 0) {
      this.rateLimit.times--;
      return answer(
        429,
        {
          status: "error",
          message: "You have reached your ten_secondly_rolling limit.",
          errorType: "RATE_LIMIT",
          correlationId: "00000000-0000-0000-0000-000000000002",
          policyName: "TEN_SECONDLY_ROLLING",
        },
        this.rateLimit.headers,
      );
    }
    try {
      const [status, body] = this.route(request);
      answer(status, body);
    } catch (error) {
      answer(500, { status: "error", message: String(error), category: "INTERNAL_ERROR" });
    }
  }

  private pageRead(): boolean {
    if (this.breakAfterPages === null) return true;
    if (this.breakAfterPages <= 0) return false;
    this.breakAfterPages--;
    return true;
  }

  private view(record: HsRecord, properties: string[], associations: boolean) {
    const picked: Properties = { hs_object_id: record.id };
    for (const name of properties) picked[name] = record.properties[name] ?? null;
    return {
      id: record.id,
      properties: picked,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      archived: false,
      ...(associations && record.contacts
        ? {
            associations: {
              contacts: { results: record.contacts.map((id) => ({ id, type: "deal_to_contact" })) },
            },
          }
        : {}),
    };
  }

  private route({ method, path, query, body }: Request): [number, unknown] {
    const b = body as Record<string, unknown>;
    let m = /^\/crm\/v3\/objects\/(contacts|companies|deals)$/.exec(path);
    if (m && method === "GET") {
      if (!this.pageRead())
        return [502, { status: "error", message: "Bad gateway", category: "BAD_GATEWAY" }];
      const all = this.objects[m[1]!]!;
      const limit = Math.min(Number(query.get("limit") ?? 10), 100);
      const after = Number(query.get("after") ?? 0);
      // Repeated (properties=a&properties=b, as the Node client sends) or comma-separated.
      const properties = query
        .getAll("properties")
        .flatMap((p) => p.split(","))
        .filter(Boolean);
      const associations = query.getAll("associations").some((a) => a.split(",").includes("contacts"));
      const page = all.slice(after, after + limit).map((r) => this.view(r, properties, associations));
      const next = after + limit < all.length ? String(after + limit) : null;
      return [
        200,
        {
          results: page,
          ...(next ? { paging: { next: { after: next, link: `${path}?after=${next}` } } } : {}),
        },
      ];
    }
    m = /^\/crm\/v3\/objects\/(contacts|companies|deals)\/search$/.exec(path);
    if (m && method === "POST") {
      if (!this.pageRead())
        return [502, { status: "error", message: "Bad gateway", category: "BAD_GATEWAY" }];
      const after = Number(b["after"] ?? 0);
      if (after >= 10_000)
        return [
          400,
          { status: "error", message: "Search results are limited to 10,000", category: "VALIDATION_ERROR" },
        ];
      const filters = (
        (b["filterGroups"] as { filters: { propertyName: string; operator: string; value: string }[] }[]) ??
        []
      ).flatMap((g) => g.filters);
      const sorts = (b["sorts"] as { propertyName: string }[] | undefined) ?? [];
      let found = this.objects[m[1]!]!.filter((r) =>
        filters.every((f) => {
          const value = Date.parse(r.properties[f.propertyName] ?? "");
          return f.operator === "GTE"
            ? value >= Number(f.value)
            : f.operator === "GT"
              ? value > Number(f.value)
              : true;
        }),
      );
      if (sorts[0])
        found = [...found].sort(
          (x, y) =>
            Date.parse(x.properties[sorts[0]!.propertyName] ?? "") -
            Date.parse(y.properties[sorts[0]!.propertyName] ?? ""),
        );
      const limit = Math.min(Number(b["limit"] ?? 10), 200);
      const page = found
        .slice(after, after + limit)
        .map((r) => this.view(r, (b["properties"] as string[]) ?? [], false));
      const next = after + limit < found.length ? String(after + limit) : null;
      return [
        200,
        { total: found.length, results: page, ...(next ? { paging: { next: { after: next } } } : {}) },
      ];
    }
    if (path === "/crm/v4/associations/deals/contacts/batch/read" && method === "POST") {
      const inputs = b["inputs"] as { id: string }[];
      const results = inputs.flatMap(({ id }) => {
        const deal = this.objects["deals"]!.find((d) => d.id === id);
        if (!deal?.contacts?.length) return [];
        return [
          {
            from: { id },
            to: deal.contacts.map((c) => ({
              toObjectId: Number(c),
              associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 3, label: null }],
            })),
          },
        ];
      });
      const now = new Date().toISOString();
      return [200, { status: "COMPLETE", results, startedAt: now, completedAt: now }];
    }
    if (path === "/crm/v3/properties/contacts" && method === "GET")
      return [
        200,
        {
          results: [...this.properties].map((name) => ({
            name,
            label: name,
            type: "string",
            fieldType: "text",
            groupName: "contactinformation",
          })),
        },
      ];
    if (path === "/crm/v3/properties/contacts/batch/create" && method === "POST") {
      const inputs = b["inputs"] as { name: string; label: string; type: string; fieldType: string }[];
      for (const input of inputs) this.properties.add(input.name);
      const now = new Date().toISOString();
      return [
        201,
        {
          status: "COMPLETE",
          results: inputs.map((i) => ({ ...i, groupName: "contactinformation", options: [] })),
          startedAt: now,
          completedAt: now,
        },
      ];
    }
    if (path === "/crm/v3/objects/contacts/batch/upsert" && method === "POST") {
      const inputs = b["inputs"] as { id: string; idProperty: string; properties: Properties }[];
      if (inputs.length > 100)
        return [
          400,
          { status: "error", message: "Batch size 101 exceeds limit of 100", category: "VALIDATION_ERROR" },
        ];
      const now = new Date().toISOString();
      const results: unknown[] = [];
      const errors: unknown[] = [];
      for (const input of inputs) {
        const email = input.id.toLowerCase();
        const refused = this.refuse.get(email);
        const unknown = Object.keys(input.properties).find((p) => !this.properties.has(p));
        if (refused || unknown) {
          errors.push({
            status: "error",
            category: "VALIDATION_ERROR",
            message: refused ?? `Property "${unknown}" does not exist`,
            context: { ids: [input.id] },
          });
          continue;
        }
        let record = this.objects["contacts"]!.find((r) => r.properties["email"]?.toLowerCase() === email);
        const created = !record;
        if (!record) {
          record = { id: String(this.nextId++), properties: {}, createdAt: now, updatedAt: now };
          this.objects["contacts"]!.push(record);
        }
        Object.assign(record.properties, input.properties, { lastmodifieddate: now });
        record.updatedAt = now;
        results.push({
          id: record.id,
          new: created,
          properties: { ...input.properties, hs_object_id: record.id },
          createdAt: record.createdAt,
          updatedAt: now,
          archived: false,
        });
      }
      const response = { status: "COMPLETE", results, startedAt: now, completedAt: now };
      return errors.length > 0 ? [207, { ...response, numErrors: errors.length, errors }] : [200, response];
    }
    m = /^\/crm\/v3\/lists\/object-type-id\/0-1\/name\/(.+)$/.exec(path);
    if (m && method === "GET") {
      const name = decodeURIComponent(m[1]!);
      const found = [...this.lists].find(([, l]) => l.name === name);
      if (!found)
        return [
          404,
          { status: "error", message: `List with name ${name} does not exist`, category: "OBJECT_NOT_FOUND" },
        ];
      return [
        200,
        {
          list: {
            listId: found[0],
            name,
            objectTypeId: "0-1",
            processingType: "MANUAL",
            size: found[1].members.size,
          },
        },
      ];
    }
    if (/^\/crm\/v3\/lists\/?$/.test(path) && method === "POST") {
      const id = String(this.nextList++);
      this.lists.set(id, { name: String(b["name"]), members: new Set() });
      return [
        200,
        {
          list: {
            listId: id,
            name: b["name"],
            objectTypeId: b["objectTypeId"],
            processingType: b["processingType"],
            listVersion: 1,
          },
        },
      ];
    }
    m = /^\/crm\/v3\/lists\/([^/]+)\/memberships\/add-and-remove$/.exec(path);
    if (m && method === "PUT") {
      const list = this.lists.get(m[1]!);
      if (!list) return [404, { status: "error", message: "List not found", category: "OBJECT_NOT_FOUND" }];
      const known = new Set(this.objects["contacts"]!.map((c) => c.id));
      const add = (b["recordIdsToAdd"] as string[]) ?? [];
      const remove = (b["recordIdsToRemove"] as string[]) ?? [];
      const missing = [...add, ...remove].filter((id) => !known.has(id));
      for (const id of add) if (known.has(id)) list.members.add(id);
      for (const id of remove) list.members.delete(id);
      return [
        200,
        {
          recordsIdsAdded: add.filter((id) => known.has(id)),
          recordIdsRemoved: remove,
          recordIdsMissing: missing,
        },
      ];
    }
    if (path === "/crm/v3/objects/contacts/gdpr-delete" && method === "POST") {
      const id = String(b["objectId"]);
      const contacts = this.objects["contacts"]!;
      const at = contacts.findIndex((c) =>
        b["idProperty"] === "email" ? c.properties["email"]?.toLowerCase() === id.toLowerCase() : c.id === id,
      );
      if (at < 0)
        return [404, { status: "error", message: "Object not found", category: "OBJECT_NOT_FOUND" }];
      const gone = contacts[at]!.id;
      this.erased.push(gone);
      contacts.splice(at, 1);
      for (const list of this.lists.values()) list.members.delete(gone);
      return [204, undefined];
    }
    return [404, { status: "error", message: `No route ${method} ${path}`, category: "OBJECT_NOT_FOUND" }];
  }
}
