import { type Db, tablesOf } from "../../../db/client.ts";
import {
  checkpointTruncate,
  erasePerson,
  exportPerson,
  gatherPerson,
  type PersonIds,
  resolvePerson,
} from "../../../db/platform/queries/personal.ts";
import { countOlder, retire } from "../../../db/platform/queries/retention.ts";
import {
  holdsSealable,
  markSealed,
  rotateDataKey,
  sealedWith,
  sealStored,
} from "../../../db/platform/queries/sealing.ts";
import { AppError } from "../base/errors.ts";
import type {
  EraseOptions,
  EraseOutcome,
  PeopleApi,
  PersonalTable,
  PersonFound,
  PersonKey,
  RetentionKind,
  Rotation,
} from "../contract/personal.ts";

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
    /** Every owner's map: the registry's own list, filled as owners are set up. */
    private readonly declared: readonly { owner: string; table: PersonalTable }[],
    private readonly clock: { now(): number },
  ) {}

  maps() {
    return this.declared;
  }

  private tables(): PersonalTable[] {
    return this.declared.map((d) => d.table);
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
    const owners = new Map(this.declared.map((d) => [d.table.table, d.owner]));
    const rows = await exportPerson(this.db, this.tables(), toSets(found.ids));
    return rows.map((r) => ({ owner: owners.get(r.table) ?? "platform", ...r }));
  }

  async erase(found: PersonFound, options: EraseOptions): Promise<EraseOutcome> {
    const counts = await erasePerson(
      this.db,
      this.tables(),
      toSets(found.ids),
      { at: this.clock.now(), actor: options.actor, action: "privacy.erase", detail: options.detail },
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

  async sealStored(
    onStart?: () => void,
    onProgress?: (table: string, rows: number) => void,
  ): Promise<boolean> {
    if ((await sealedWith(this.db)) !== null) return false;
    if (!(await holdsSealable(this.db, this.tables()))) {
      await markSealed(this.db);
      return false;
    }
    onStart?.();
    await sealStored(this.db, this.tables(), onProgress);
    return true;
  }

  sealing() {
    return { keyId: this.db.sealer.keyId, keys: this.db.sealer.keys.length, source: this.db.keys.source };
  }

  async rotateKey(onProgress?: (table: string, rows: number) => void): Promise<Rotation> {
    if (this.db.keys.source === "environment" && this.db.sealer.keys.length < 2)
      throw new AppError("invalid_config", "LIFT_DATA_KEY holds one key: there is nothing to rotate to", {
        hint: "put a new key first and the current one after it (LIFT_DATA_KEY=new,old), then run it again",
      });
    return rotateDataKey(this.db, this.tables(), onProgress);
  }
}
