import { type Db, type Tables, tablesOf } from "../../../db/client.ts";
import {
  checkpointTruncate,
  countOlder,
  type ErasedCounts,
  erasePerson,
  exportPerson,
  gatherPerson,
  type PersonIds,
  resolvePerson,
  retire,
} from "../../../db/platform/queries/personal.ts";
import type { PersonalTable, PersonKey, RetentionKind } from "../contract/personal.ts";

export type { ErasedCounts };

/** A person as Lift holds them: every identifier found, derived rows followed. */
export interface PersonFound {
  /** What was asked for (an email, a customer id, an anonymous id). */
  asked: string;
  ids: Partial<Record<PersonKey, string[]>>;
  /** Names in their traits (not searched for: a first name is everyone's; the scan test reads them). */
  names: string[];
}

/** A step written in the erase's own transaction (synchronous: better-sqlite3 transactions are). */
export type TransactionStep = (tables: Tables, counts: readonly ErasedCounts[]) => void;

export interface EraseOptions {
  /** Who erased (a Slack user id, console or cli), for the audit entry. */
  actor: string;
  /** The audit entry's detail, given what was erased (the person by hash, never by name). */
  detail: (counts: ErasedCounts[]) => string;
  /** Written in the same transaction (the suppression list). */
  also: TransactionStep;
}

export interface EraseOutcome {
  counts: ErasedCounts[];
  /** The write-ahead log could not be truncated yet (another connection reads an older snapshot). */
  walBusy: boolean;
}

/** Finding, exporting and erasing a person everywhere, by every owner's personal-data map. */
export interface PeopleApi {
  /** Every owner's map, in the order owners were set up. */
  maps(): readonly { owner: string; table: PersonalTable }[];
  find(person: string): Promise<PersonFound | null>;
  /** Every row about them, table by table, with the owner of each table. */
  rows(found: PersonFound): Promise<{ owner: string; table: string; rows: Record<string, unknown>[] }[]>;
  /**
   * Deletes, anonymises or redacts every row about them in one transaction with the audit entry
   * and `also` (the suppression list), then truncates the write-ahead log.
   */
  erase(found: PersonFound, options: EraseOptions): Promise<EraseOutcome>;
  /** Deletes a batch of rows of a kind older than `before` (and what was derived from them). */
  retire(kind: RetentionKind, before: number, limit?: number): Promise<number>;
  /** Rows of a kind older than `before`. */
  older(kind: RetentionKind, before: number): Promise<number>;
}

function toSets(ids: PersonFound["ids"]): PersonIds {
  const out: PersonIds = {};
  for (const [key, values] of Object.entries(ids)) out[key as PersonKey] = new Set(values);
  return out;
}

function fromSets(ids: PersonIds): PersonFound["ids"] {
  const out: PersonFound["ids"] = {};
  for (const [key, values] of Object.entries(ids))
    if (values && values.size > 0) out[key as PersonKey] = [...values];
  return out;
}

export class People implements PeopleApi {
  constructor(
    private readonly db: Db,
    private readonly declared: () => readonly { owner: string; table: PersonalTable }[],
    private readonly now: () => number,
  ) {}

  maps() {
    return this.declared();
  }

  private tables(): PersonalTable[] {
    return this.declared().map((d) => d.table);
  }

  async find(person: string): Promise<PersonFound | null> {
    const asked = person.trim();
    if (asked === "") return null;
    const resolved = await resolvePerson(this.db, asked);
    if (!resolved) return null;
    const ids = await gatherPerson(this.db, this.tables(), resolved.ids);
    return { asked, ids: fromSets(ids), names: resolved.names };
  }

  async rows(found: PersonFound) {
    const owners = new Map(this.declared().map((d) => [d.table.table, d.owner]));
    const rows = await exportPerson(this.db, this.tables(), toSets(found.ids));
    return rows.map((r) => ({ owner: owners.get(r.table) ?? "platform", ...r }));
  }

  async erase(found: PersonFound, options: EraseOptions): Promise<EraseOutcome> {
    const counts = await erasePerson(
      this.db,
      this.tables(),
      toSets(found.ids),
      { at: this.now(), actor: options.actor, action: "privacy.erase", detail: options.detail },
      (counts) => options.also(tablesOf(this.db), counts),
    );
    const { busy } = await checkpointTruncate(this.db);
    return { counts, walBusy: busy };
  }

  retire(kind: RetentionKind, before: number, limit = 5000): Promise<number> {
    return retire(this.db, this.tables(), kind, before, limit);
  }

  older(kind: RetentionKind, before: number): Promise<number> {
    return countOlder(this.db, this.tables(), kind, before);
  }
}
