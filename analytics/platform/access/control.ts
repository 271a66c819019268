import type { Db } from "../../../db/client.ts";
import { listAccessRules, removeAccessRule, setAccessRule } from "../../../db/platform/queries/access.ts";
import { AppError } from "../base/errors.ts";
import type { Role } from "../contract/access.ts";
import { type AccessPolicy, type EnvAccess, hasAdmin, NO_ENV_ACCESS } from "./policy.ts";
import type { Where, Who } from "./subjects.ts";

/** The access rules admins set (`access role …`, `access channel …`), with the environment's. */
export class AccessControl {
  constructor(
    private readonly db: Db,
    /** The environment's rules (read when asked: the settings the platform was given). */
    private readonly env: () => EnvAccess = () => NO_ENV_ACCESS,
    private readonly now: () => number = Date.now,
  ) {}

  async policy(): Promise<AccessPolicy> {
    return { env: this.env(), rules: await listAccessRules(this.db) };
  }

  /** Gives `who` a role; the role they had before (by this rule), if any. Never leaves Slack without an admin. */
  async setRole(who: Who, role: Role, actor: string): Promise<Role | null> {
    const policy = await this.policy();
    const rules = policy.rules.filter((r) => !(r.kind === who.kind && r.subject === who.subject));
    const row = {
      kind: who.kind,
      subject: who.subject,
      label: who.label,
      role,
      setBy: actor,
      setAt: this.now(),
    };
    this.mustKeepAnAdmin({ env: policy.env, rules: [...rules, row] });
    const before = await setAccessRule(this.db, row);
    return before?.role ?? null;
  }

  /** Takes `who`'s rule away; false when they had none. */
  async remove(who: Who, actor: string): Promise<Role | null | false> {
    const policy = await this.policy();
    const rest = policy.rules.filter((r) => !(r.kind === who.kind && r.subject === who.subject));
    if (rest.length === policy.rules.length) return false;
    this.mustKeepAnAdmin({ env: policy.env, rules: rest });
    const removed = await removeAccessRule(
      this.db,
      { kind: who.kind, subject: who.subject },
      actor,
      this.now(),
    );
    return removed ? (removed.role ?? null) : false;
  }

  async addChannel(where: Where, actor: string): Promise<boolean> {
    const before = await setAccessRule(this.db, {
      kind: "channel",
      subject: where.subject,
      label: where.label,
      role: null,
      setBy: actor,
      setAt: this.now(),
    });
    return before === undefined;
  }

  async removeChannel(where: Where, actor: string): Promise<boolean> {
    return (
      (await removeAccessRule(this.db, { kind: "channel", subject: where.subject }, actor, this.now())) !==
      undefined
    );
  }

  private mustKeepAnAdmin(after: AccessPolicy): void {
    if (hasAdmin(after)) return;
    throw new AppError("conflict", "That would leave nobody who may change Lift's settings from Slack", {
      hint: "give a user group the admin role first (`access role admin @lift-admins`), or set LIFT_ADMINS",
    });
  }
}
