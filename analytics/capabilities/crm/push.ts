import { createHash } from "node:crypto";
import { linkedCustomers } from "../../../db/crm/pull.ts";
import {
  addFailures,
  changeListMembers,
  customersWithEmail,
  findList,
  listMembers,
  pushedState,
  saveList,
  savePushed,
} from "../../../db/crm/push.ts";
import { startOfDayMs } from "../../platform/time/zone.ts";
import { automationsApi } from "../automations/index.ts";
import { segmentsService } from "../segments/index.ts";
import { type CrmConnector, chunks, type FieldSpec, type OutRecord, type Refused } from "./connector.ts";
import type { CrmCore } from "./core.ts";

/*
 * A segment out to a CRM: its members' records upserted with Lift's properties (RFM segment,
 * cluster, each prediction field) — only those whose properties changed since Lift last sent
 * them — and the list (a HubSpot static list, a Salesforce campaign) changed by difference:
 * members who joined added, members who left removed, never the whole list again.
 */

export interface SyncPlan {
  provider: string;
  segment: string;
  list: string;
  members: number;
  /** Members without an email address (a CRM matches people by it). */
  withoutEmail: number;
  /** Records whose Lift properties changed (or were never sent). */
  toWrite: number;
  toAdd: number;
  toRemove: number;
  optedOut: number;
}

export interface SyncResult extends SyncPlan {
  written: number;
  added: number;
  removed: number;
  refused: Refused[];
  /** Calls the sync made: upserts, membership changes, and the ones that find or make fields and the list. */
  calls: { upserts: number; memberships: number; setup: number };
}

/** Lift's properties on a CRM record, with the fields they are kept in. */
export interface LiftProperties {
  fields: FieldSpec[];
  of: (customerId: string) => Record<string, string | number | null>;
}

export async function liftProperties(core: CrmCore): Promise<LiftProperties> {
  const segments = segmentsService.of(core.context.platform);
  const { timeZone } = core.context.platform.settings;
  // Values as of the start of today: the same all day, so a second sync sends nothing new.
  const asOfMs = startOfDayMs(core.context.platform.today(), timeZone);
  const rfm = new Map((await segments.rfm()).scores.map((s) => [s.id, s.segment]));
  const clustering = await segments.clusters();
  const clusterNames = new Map(clustering.clusters.map((c) => [c.id, c.name]));
  const fields: FieldSpec[] = [
    { name: "rfm_segment", label: "RFM segment", type: "text" },
    { name: "cluster", label: "Cluster", type: "text" },
  ];
  const extra: { name: string; values: Map<string, number | string> }[] = [];
  for (const field of segments.ruleFields()) {
    if (field.name === "rfm_segment" || field.name === "cluster") continue;
    fields.push({
      name: field.name,
      label: field.description.slice(0, 60),
      type: field.type === "number" ? "number" : "text",
    });
    extra.push({ name: field.name, values: await field.values(asOfMs) });
  }
  return {
    fields,
    of(id) {
      const cluster = clustering.assignment.get(id);
      const properties: Record<string, string | number | null> = {
        rfm_segment: rfm.get(id) ?? null,
        cluster: cluster === undefined ? null : (clusterNames.get(cluster) ?? String(cluster)),
      };
      for (const { name, values } of extra) {
        const value = values.get(id);
        properties[name] =
          value === undefined ? null : typeof value === "number" ? Math.round(value * 100) / 100 : value;
      }
      return properties;
    },
  };
}

const hashOf = (record: OutRecord) =>
  createHash("sha256")
    .update(
      JSON.stringify([record.email, record.firstName, record.lastName, record.optedOut, record.properties]),
    )
    .digest("base64url");

const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** Works out what a sync would do; `apply` does it. */
export async function planSync(
  core: CrmCore,
  connector: CrmConnector,
  segmentName: string,
  listName: string,
  /** Worked out once when several lists are synced together (the same for every list). */
  known?: LiftProperties,
) {
  const provider = connector.provider;
  const segments = segmentsService.of(core.context.platform);
  const segment = await segments.get(segmentName);
  const memberIds = [...(await segments.members(segment))];
  const customers = await customersWithEmail(core.tables, memberIds);
  const properties = known ?? (await liftProperties(core));
  const automations = automationsApi.of(core.context.platform).core;
  const pushed = await pushedState(core.tables, provider);
  const links = new Map(
    [...(await linkedCustomers(core.tables, provider))].map(([crmId, id]) => [id, crmId]),
  );
  const list = await findList(core.tables, provider, listName);
  const current = list ? await listMembers(core.tables, list.id) : new Map<string, string>();
  const records: { record: OutRecord; hash: string }[] = [];
  let optedOut = 0;
  // A CRM keeps one contact an email: customers sharing one go as the first, the others are said.
  const emails = new Set<string>();
  const sharing: Refused[] = [];
  for (const c of customers) {
    if (emails.has(c.email.toLowerCase())) {
      sharing.push({
        customerId: c.id,
        email: c.email,
        reason: "another customer in the segment has this email address",
      });
      continue;
    }
    emails.add(c.email.toLowerCase());
    const out = await automations.isSuppressed(c.email);
    if (out) optedOut++;
    const record: OutRecord = {
      customerId: c.id,
      email: c.email.toLowerCase(),
      crmId: pushed.get(c.id)?.crmId ?? links.get(c.id) ?? null,
      firstName: text(c.traits["first_name"]),
      lastName: text(c.traits["last_name"]),
      properties: properties.of(c.id),
      optedOut: out,
    };
    records.push({ record, hash: hashOf(record) });
  }
  const inSegment = new Set(records.map((r) => r.record.customerId));
  const toWrite = records.filter((r) => pushed.get(r.record.customerId)?.hash !== r.hash);
  const toAdd = records.filter((r) => !current.has(r.record.customerId));
  const toRemove = [...current]
    .filter(([id]) => !inSegment.has(id))
    .map(([customerId, memberId]) => ({ customerId, memberId }));
  const plan: SyncPlan = {
    provider,
    segment: segment.name,
    list: list?.name ?? listName,
    members: memberIds.length,
    withoutEmail: memberIds.length - customers.length,
    toWrite: toWrite.length,
    toAdd: toAdd.length,
    toRemove: toRemove.length,
    optedOut,
  };
  return { plan, fields: properties.fields, toWrite, toAdd, toRemove, list, segment, sharing };
}

export async function applySync(
  core: CrmCore,
  connector: CrmConnector,
  planned: Awaited<ReturnType<typeof planSync>>,
  owner: string,
  fieldsReady: Set<string>,
): Promise<SyncResult> {
  const now = core.context.now();
  const provider = connector.provider;
  const calls = { upserts: 0, memberships: 0, setup: 0 };
  const refused: Refused[] = [...planned.sharing];
  const total = () => connector.calls.reads + connector.calls.writes;
  let mark = total();
  // Lift's fields are made once a process per CRM (a read when they all exist).
  if (planned.toWrite.length > 0 && !fieldsReady.has(provider)) {
    await connector.ensureFields(planned.fields);
    fieldsReady.add(provider);
    calls.setup += total() - mark;
  }
  const crmIds = new Map<string, string>();
  let written = 0;
  for (const batch of chunks(planned.toWrite, connector.batchSize)) {
    mark = total();
    const result = await connector.upsert(batch.map((b) => b.record));
    calls.upserts += total() - mark;
    const hashes = new Map(batch.map((b) => [b.record.customerId, b.hash]));
    await savePushed(
      core.tables,
      provider,
      result.ok.map((o) => ({
        customerId: o.customerId,
        crmId: o.crmId,
        hash: hashes.get(o.customerId)!,
        created: o.created,
        object: o.crmId.startsWith("00Q") ? "lead" : "contact",
      })),
      now,
    );
    for (const o of result.ok) crmIds.set(o.customerId, o.crmId);
    written += result.ok.length;
    refused.push(...result.refused);
  }
  const refusedIds = new Set(refused.map((r) => r.customerId));
  let list = planned.list;
  let added = 0;
  let removed = 0;
  const adding = planned.toAdd
    .filter((a) => !refusedIds.has(a.record.customerId))
    .flatMap((a) => {
      const crmId = crmIds.get(a.record.customerId) ?? a.record.crmId;
      return crmId ? [{ customerId: a.record.customerId, crmId }] : [];
    });
  if (adding.length > 0 || planned.toRemove.length > 0 || !list) {
    if (!list) {
      mark = total();
      const listId = await connector.ensureList(planned.plan.list);
      calls.setup += total() - mark;
      list = await saveList(
        core.tables,
        { provider, segment: planned.segment.name, name: planned.plan.list, listId, owner },
        now,
      );
    }
    mark = total();
    const change = await connector.changeMembers(list.listId, adding, planned.toRemove);
    calls.memberships += total() - mark;
    await changeListMembers(core.tables, list.id, change.added, change.removed, now);
    added = change.added.length;
    removed = change.removed.length;
    const emails = new Map(planned.toAdd.map((a) => [a.record.customerId, a.record.email]));
    refused.push(
      ...change.refused.map((r) => ({ ...r, email: r.email || (emails.get(r.customerId) ?? "") })),
    );
  } else await changeListMembers(core.tables, list.id, [], [], now);
  await addFailures(
    core.tables,
    provider,
    refused.map((r) => ({ email: r.email, reason: r.reason })),
    now,
  );
  return { ...planned.plan, written, added, removed, refused, calls };
}
