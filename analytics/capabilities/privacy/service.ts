import {
  erasedAt,
  erasureHashes,
  erasureRuns,
  erasureVersion,
  suppressionStep,
} from "../../../db/privacy/queries.ts";
import { AppError } from "../../platform/base/errors.ts";
import type { CapabilityContext } from "../../platform/contract/capability.ts";
import {
  type ErasedCounts,
  type IngestGuard,
  keyedHash,
  type PersonFound,
  type PersonRef,
  type RetentionKind,
  type RowGuard,
} from "../../platform/contract/personal.ts";
import { crmApi } from "../crm/index.ts";
import type { PrivacySettings } from "./settings.ts";

/** The identifiers that go on the erasure list, by keyed hash. */
const LISTED = ["email", "customer", "anonymous", "order", "handle"] as const;

/** Each retention setting and the kind of data it keeps. */
export const RETENTION: { kind: RetentionKind; setting: keyof PrivacySettings; label: string }[] = [
  { kind: "events", setting: "LIFT_RETAIN_EVENTS_DAYS", label: "Raw events" },
  { kind: "mentions", setting: "LIFT_RETAIN_MENTIONS_DAYS", label: "Social mentions" },
  { kind: "sends", setting: "LIFT_RETAIN_SENDS_DAYS", label: "Messages sent by automations" },
  { kind: "answers", setting: "LIFT_RETAIN_ANSWERS_DAYS", label: "Stored answers" },
];

const DAY_MS = 86_400_000;

const LABELS: Record<PersonRef["key"], string> = {
  customer: "customer id",
  anonymous: "anonymous id",
  email: "email",
  order: "order",
  handle: "handle",
};

export interface ErasePlan {
  found: PersonFound;
  tables: { owner: string; table: string; rows: number }[];
  rows: number;
}

export interface EraseResult {
  counts: ErasedCounts[];
  rows: number;
  crm: string[];
  walBusy: boolean;
}

/**
 * Privacy requests and retention: a person found everywhere (by their email, customer id or
 * anonymous id), exported as one document, erased in one transaction — forwarded to connected
 * CRMs first, then put on the erasure list so their data is refused when it comes again — and
 * old rows deleted by the retention settings.
 */
export class Privacy {
  #list: { version: string; hashes: Set<string>; seen: Map<string, boolean> } | null = null;

  constructor(readonly context: CapabilityContext<PrivacySettings>) {}

  /** The workspace's hash key (the erasure list's, the suppression list's and blind indexes'). */
  private key(): Buffer {
    return this.context.platform.hashKey();
  }

  /** The person, or a not-found error that says what was looked for and where. */
  async find(person: string): Promise<PersonFound> {
    const asked = person.trim();
    if (asked === "")
      throw new AppError("invalid_input", "Say whom: an email, a customer id or an anonymous id", {
        hint: "privacy export grace@example.com",
      });
    const found = await this.context.platform.people.find(asked);
    if (!found?.ids.customer && !found?.ids.anonymous) {
      // Nobody with data under it: erased before (said, with when), or never here.
      const key = this.key();
      const kinds = asked.includes("@") ? ["email"] : ["customer", "anonymous"];
      const at = await erasedAt(
        this.context.tables,
        kinds.map((kind) => keyedHash(key, kind, asked)),
      );
      if (at !== null)
        throw new AppError(
          "not_found",
          `That person was erased on ${new Date(at).toISOString().slice(0, 10)}: Lift holds nothing about them and refuses their data`,
        );
      // An address no customer has may still be in a send, a refused CRM record, an answer.
      if (!found || (await this.context.platform.people.rows(found)).length === 0)
        throw new AppError("not_found", "Lift holds nothing under that email or id", {
          hint: "it looked in customers (id and email, any case), identities and events, and every table that keeps an address",
        });
    }
    return found;
  }

  async plan(person: string): Promise<ErasePlan> {
    const found = await this.find(person);
    const tables = (await this.context.platform.people.rows(found)).map((t) => ({
      owner: t.owner,
      table: t.table,
      rows: t.rows.length,
    }));
    return { found, tables, rows: tables.reduce((sum, t) => sum + t.rows, 0) };
  }

  /** One JSON document with every row about the person (GDPR Articles 15 and 20). */
  async export(person: string): Promise<Record<string, unknown>> {
    const found = await this.find(person);
    const rows = await this.context.platform.people.rows(found);
    const tables: Record<string, { owner: string; rows: Record<string, unknown>[] }> = {};
    for (const t of rows) tables[t.table] = { owner: t.owner, rows: t.rows };
    // What Lift works out about them when asked (predictions, RFM segment, clusters): the
    // customer page, as every capability contributes to it.
    const derived: Record<string, unknown> = {};
    for (const id of found.ids.customer ?? []) {
      try {
        const page = await this.context.platform.commands.runCommand("customer", id, { userId: "privacy" });
        derived[id] = { summary: page.summary, facts: page.facts, details: page.details ?? [] };
      } catch (error) {
        derived[id] = { error: error instanceof Error ? error.message : String(error) };
      }
    }
    return {
      person: found.asked,
      exported_at: new Date(this.context.now()).toISOString(),
      identifiers: found.ids,
      tables,
      derived,
      about:
        "Every row Lift holds about this person, table by table (orders, events, identities, segment memberships and changes, messages sent, CRM links, posts by their handle), and what Lift works out about them when asked (derived: predictions, RFM segment, cluster), as their customer page says it.",
    };
  }

  /**
   * Erases the person: connected CRMs first (a CRM that fails stops the erasure, so nothing is
   * half-done here and it can be asked again), then every table in one transaction with the
   * erasure list and the audit entry.
   */
  async erase(person: string | PersonFound, actor: string, surface: string): Promise<EraseResult> {
    // Found already when a plan was shown for it (the CLI asks on the plan): not looked up twice.
    const found = typeof person === "string" ? await this.find(person) : person;
    const crm: string[] = [];
    const crms = crmApi.of(this.context.platform);
    const asked = found.ids.customer ?? found.ids.email ?? [];
    try {
      for (const id of asked) crm.push(...(await crms.erase(id)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError("conflict", `Nothing was erased: a CRM did not take the erasure (${message})`, {
        hint: "ask again when it answers; `crm` shows the connection",
      });
    }
    const key = this.key();
    const hashes = LISTED.flatMap((kind) =>
      (found.ids[kind] ?? []).map((value) => ({ kind, hash: keyedHash(key, kind, value) })),
    );
    const who = hashes[0]?.hash.slice(0, 12) ?? "unknown";
    const outcome = await this.context.platform.people.erase(found, {
      actor,
      detail: (counts) =>
        `erased a person (hash ${who}) via ${surface}: ${counts.reduce((s, c) => s + c.rows, 0)} rows in ${counts.length} tables`,
      also: suppressionStep(hashes, { at: this.context.now(), actor, surface }),
    });
    const rows = outcome.counts.reduce((sum, c) => sum + c.rows, 0);
    this.#list = null;
    this.context.logger.info({ rows, tables: outcome.counts.length, surface }, "person erased");
    return { counts: outcome.counts, rows, crm, walBusy: outcome.walBusy };
  }

  /** Refuses rows about an erased person (ingest's check of every batch). */
  readonly guard: IngestGuard = {
    id: "privacy.erased",
    prepare: async () => {
      const { count, last } = await erasureVersion(this.context.tables);
      if (count === 0) return null;
      const version = `${count}:${last}`;
      if (this.#list?.version !== version)
        this.#list = { version, hashes: await erasureHashes(this.context.tables), seen: new Map() };
      const list = this.#list;
      const key = this.key();
      const check: RowGuard = (refs: readonly PersonRef[]) => {
        for (const ref of refs) {
          const memo = `${ref.key}:${ref.value}`;
          let erased = list.seen.get(memo);
          if (erased === undefined) {
            erased = list.hashes.has(keyedHash(key, ref.key, ref.value));
            if (list.seen.size > 200_000) list.seen.clear();
            list.seen.set(memo, erased);
          }
          if (erased)
            return `the person with this ${LABELS[ref.key]} was erased at their request (privacy); Lift refuses their data — remove them from the source`;
        }
        return null;
      };
      return check;
    },
  };

  /** Deletes what each retention setting no longer keeps, a batch at a time; rows deleted by kind. */
  async retain(now: number, signal?: AbortSignal): Promise<{ kind: RetentionKind; deleted: number }[]> {
    const out: { kind: RetentionKind; deleted: number }[] = [];
    for (const { kind, setting } of RETENTION) {
      const days = this.context.settings[setting];
      if (days === undefined) continue;
      const before = now - days * DAY_MS;
      let deleted = 0;
      for (;;) {
        if (signal?.aborted) break;
        const n = await this.context.platform.people.retire(kind, before);
        deleted += n;
        if (n === 0) break;
      }
      out.push({ kind, deleted });
    }
    return out;
  }

  async status(now: number) {
    const retention = [];
    for (const { kind, setting, label } of RETENTION) {
      const days = this.context.settings[setting];
      retention.push({
        kind,
        setting,
        label,
        days: days ?? null,
        older: days === undefined ? 0 : await this.context.platform.people.older(kind, now - days * DAY_MS),
      });
    }
    const maps = this.context.platform.people.maps();
    return {
      sealing: this.context.platform.people.sealing(),
      runs: await erasureRuns(this.context.tables),
      listed: (await erasureVersion(this.context.tables)).count,
      retention,
      tables: maps.length,
      personal: maps.filter((m) => Object.keys(m.table.columns).length > 0).length,
      owners: new Set(maps.map((m) => m.owner)).size,
    };
  }
}
