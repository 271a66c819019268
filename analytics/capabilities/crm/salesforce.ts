import {
  type CrmConnector,
  CrmError,
  chunks,
  type FieldSpec,
  type OutRecord,
  type Page,
  type Position,
  type Refused,
  type Upserted,
  type Waiting,
} from "./connector.ts";
import {
  SalesforceApi,
  type SalesforceOptions,
  type SaveResult,
  salesforceField,
  soql,
  soqlText,
  soqlTime,
  str,
  toCompany,
  toContact,
  toDeal,
} from "./salesforce-api.ts";

/*
 * Salesforce over its REST API with fetch: OAuth 2.0 client credentials (a new token when a
 * session expires) or a given token; SOQL queries paged by nextRecordsUrl to the end; writes
 * through sObject Collections (200 records a call, allOrNone false: a refused record is reported
 * and the rest kept); Lift's fields made through the Tooling API when missing.
 */

export class Salesforce implements CrmConnector {
  readonly provider = "salesforce" as const;
  readonly batchSize = 200;
  private currencyField: boolean | null = null;

  private readonly rest: SalesforceApi;

  constructor(
    private readonly options: SalesforceOptions,
    waiting: Waiting,
  ) {
    this.rest = new SalesforceApi(options, waiting);
  }

  get calls() {
    return this.rest.calls;
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
      const { records, after } = await this.rest.query(soql, position.after);
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
    const described = await this.rest.call<{ fields: { name: string }[] }>(
      "GET",
      `${this.rest.base}/sobjects/${object}/describe`,
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
        await this.rest.call(
          "POST",
          `${this.rest.base}/tooling/sobjects/CustomField`,
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
      const results = await this.rest.call<SaveResult[]>(
        "PATCH",
        `${this.rest.base}/composite/sobjects`,
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
      const results = await this.rest.call<SaveResult[]>(
        "PATCH",
        `${this.rest.base}/composite/sobjects/Contact/${this.options.externalId}`,
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
    const found = await this.rest.query(
      soql`SELECT Id FROM Campaign WHERE Name = ${soqlText(name)} LIMIT 1`,
      null,
    );
    const id = str(found.records[0]?.["Id"]);
    if (id) return id;
    const made = await this.rest.call<SaveResult>(
      "POST",
      `${this.rest.base}/sobjects/Campaign`,
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
      const results = await this.rest.call<SaveResult[]>(
        "POST",
        `${this.rest.base}/composite/sobjects`,
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
        const found = await this.rest.query(
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
      const results = await this.rest.call<SaveResult[]>(
        "DELETE",
        `${this.rest.base}/composite/sobjects?allOrNone=false&ids=${batch.map((r) => encodeURIComponent(r.memberId)).join(",")}`,
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
      const results = await this.rest.call<SaveResult[]>(
        "DELETE",
        `${this.rest.base}/composite/sobjects?allOrNone=false&ids=${batch.map((l) => encodeURIComponent(l.crmId)).join(",")}`,
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
