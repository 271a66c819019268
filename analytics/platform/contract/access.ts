import type { Surface } from "../../../db/platform/queries/audit.ts";

export type { Surface };

/**
 * Who may do what, from least to most: a viewer reads aggregates (KPIs,
 * campaigns, funnels, experiments); an analyst also sees who people are
 * (customer pages, segment members, exports, what someone asked); an admin
 * also changes and sends things (alerts, subscriptions, segments,
 * automations, CRM syncs, access itself). Every command declares which it
 * needs by what it does: `mutates` (admin) and `personal` (analyst).
 */
export type Role = "viewer" | "analyst" | "admin";

export const ROLES: readonly Role[] = ["viewer", "analyst", "admin"];

/** Whether `role` may do what needs `need`. */
export function allows(role: Role, need: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(need);
}
