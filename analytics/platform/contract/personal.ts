/*
 * Personal data, as each owner declares it: which of its tables and columns hold something
 * about a person, how a person's rows are found, and what erasing them means. The platform reads
 * these maps to export and erase a person everywhere in one transaction, to delete old rows
 * by retention, and a test fails when a column that looks personal is declared nowhere.
 */

export type { PersonalKind, PersonalTable, PersonKey, RetentionKind } from "../../../db/personal.ts";
export type { ErasedCounts } from "../../../db/platform/queries/personal.ts";
export type { Rotation } from "../../../db/platform/queries/sealing.ts";
export { keyedHash } from "../../../db/sealer.ts";
export type { IngestGuard, PersonRef, RowGuard } from "../ingest/kinds.ts";

import type { Tables } from "../../../db/client.ts";
import type { PersonalTable, PersonKey, RetentionKind } from "../../../db/personal.ts";
import type { ErasedCounts } from "../../../db/platform/queries/personal.ts";
import type { Rotation } from "../../../db/platform/queries/sealing.ts";

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
  /**
   * Seals what was stored before sealing (an upgraded database), once; false when nothing
   * needed it. `onStart` is told first, as the pass may take a while on a large database.
   */
  sealStored(onStart?: () => void, onProgress?: (table: string, rows: number) => void): Promise<boolean>;
  /** The data key values are sealed with now (its id), how many keys are held, and where they come from. */
  sealing(): { keyId: string; keys: number; source: "environment" | "file" | "memory" };
  /** Seals every stored personal value under a new data key (see `lift privacy rotate-key`). */
  rotateKey(onProgress?: (table: string, rows: number) => void): Promise<Rotation>;
}

/** A table that holds nothing about a person, though some of its column names look as if: each said why. */
export function noPersonalData(table: string, notPersonal: Record<string, string>): PersonalTable {
  return { table, columns: {}, findBy: {}, erase: "delete", notPersonal };
}
