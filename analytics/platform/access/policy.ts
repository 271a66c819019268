import type { AccessRuleRow } from "../../../db/platform/queries/access.ts";
import { allows, type Role } from "../contract/access.ts";

/** The rules from the environment (env.ts): LIFT_ADMINS, LIFT_READERS, LIFT_CHANNELS. */
export interface EnvAccess {
  admins: string[];
  readers: string[];
  channels: string[];
}

export const NO_ENV_ACCESS: EnvAccess = { admins: [], readers: [], channels: [] };

/** Everything that decides who may do what: the environment's lists and the rules admins set. */
export interface AccessPolicy {
  env: EnvAccess;
  rules: AccessRuleRow[];
}

/** One way to a role: a user or a user group (by id, or by @handle until Slack says its id). */
export interface Grant {
  kind: "user" | "group";
  subject: string;
  label: string;
  role: Role;
  from: "LIFT_ADMINS" | "LIFT_READERS" | "access";
  setBy?: string;
  setAt?: number;
}

/** Every grant, the environment's first. LIFT_READERS are viewers. */
export function grantsOf(policy: AccessPolicy): Grant[] {
  const grants: Grant[] = [];
  for (const id of policy.env.admins)
    grants.push({ kind: "user", subject: id, label: id, role: "admin", from: "LIFT_ADMINS" });
  for (const id of policy.env.readers)
    grants.push({
      kind: id.startsWith("S") ? "group" : "user",
      subject: id,
      label: id,
      role: "viewer",
      from: "LIFT_READERS",
    });
  for (const rule of policy.rules)
    if (rule.kind !== "channel" && rule.role)
      grants.push({
        kind: rule.kind,
        subject: rule.subject,
        label: rule.label,
        role: rule.role,
        from: "access",
        setBy: rule.setBy,
        setAt: rule.setAt,
      });
  return grants;
}

/** Nothing is set: everyone is an admin, as before roles (App Home and `lift status` warn). */
export function isOpen(policy: AccessPolicy): boolean {
  return grantsOf(policy).length === 0;
}

/**
 * What someone without a grant may do: read aggregates while nobody is named
 * a viewer (the workspace reads, some people do more); nothing once viewers are named.
 */
export function everyoneElse(policy: AccessPolicy): Role | null {
  if (isOpen(policy)) return "admin";
  return grantsOf(policy).some((g) => g.role === "viewer") ? null : "viewer";
}

/** A person's role: the highest their grants give (`inGroup` answers for the groups they are in), or everyone else's. */
export function roleFor(
  policy: AccessPolicy,
  userId: string,
  inGroup: (subject: string) => boolean,
): Role | null {
  if (isOpen(policy)) return "admin";
  let best: Role | null = null;
  for (const grant of grantsOf(policy)) {
    const matches = grant.kind === "user" ? grant.subject === userId : inGroup(grant.subject);
    if (matches && (best === null || allows(grant.role, best))) best = grant.role;
  }
  return best ?? everyoneElse(policy);
}

/** Whether anyone can still be an admin in Slack with these rules (a change must not lock everyone out). */
export function hasAdmin(policy: AccessPolicy): boolean {
  return isOpen(policy) || grantsOf(policy).some((g) => g.role === "admin");
}

/** The channels data answers may be given in (ids or #names); empty: every channel. DMs always. */
export function allowedChannels(policy: AccessPolicy): { subject: string; label: string; from: string }[] {
  return [
    ...policy.env.channels.map((id) => ({ subject: id, label: id, from: "LIFT_CHANNELS" })),
    ...policy.rules
      .filter((rule) => rule.kind === "channel")
      .map((rule) => ({ subject: rule.subject, label: rule.label, from: "access" })),
  ];
}

/** Whether data answers may be given in a channel (by its id, and its name when known). */
export function channelAllowed(
  policy: AccessPolicy,
  channel: { id: string; name?: string | undefined },
): boolean {
  const allowed = allowedChannels(policy);
  if (allowed.length === 0 || channel.id.startsWith("D")) return true;
  const name = channel.name ? `#${channel.name.toLowerCase()}` : undefined;
  return allowed.some((c) => c.subject === channel.id || (name !== undefined && c.subject === name));
}

/** The warning App Home and `lift status` show while nothing is set. */
export const OPEN_WARNING =
  "No roles are set: everyone in this Slack workspace is a Lift admin (may see customers and change or send anything). Give the admin role to a user group first: `access role admin @lift-admins`.";

/** The warning `lift status` shows when rules are set but none makes anyone an admin in Slack. */
export const NO_ADMIN_WARNING =
  "Nobody is a Lift admin in Slack (LIFT_READERS or roles are set, but no admin): changes can be made only from the console and the CLI. Give the admin role to a user group: `lift access role admin @lift-admins`.";

/** What an admin must know about the access rules now, if anything. */
export function accessWarnings(policy: AccessPolicy): string[] {
  if (isOpen(policy)) return [OPEN_WARNING];
  return hasAdmin(policy) ? [] : [NO_ADMIN_WARNING];
}
