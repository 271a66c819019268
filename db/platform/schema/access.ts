import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Who may do what in Slack, as Lift's admins set it (`access role analyst
 * @marketing-team`, `access channel #growth`): one row per Slack user group,
 * user or channel. LIFT_ADMINS, LIFT_READERS and LIFT_CHANNELS add to these
 * from the environment.
 */
export const accessRules = sqliteTable(
  "access_rules",
  {
    /** group (a Slack user group), user, or channel (where data answers may be given). */
    kind: text("kind", { enum: ["group", "user", "channel"] }).notNull(),
    /**
     * The Slack id (S…, U…, C…) when it is known, else the name as typed
     * (`@marketing-team`, `#growth`), matched by name when someone asks.
     */
    subject: text("subject").notNull(),
    /** The name to show (`@marketing-team`, `#growth`); the id when no name was given. */
    label: text("label").notNull(),
    /** viewer, analyst or admin; null for a channel. */
    role: text("role", { enum: ["viewer", "analyst", "admin"] }),
    setBy: text("set_by").notNull(),
    setAt: integer("set_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.subject] })],
);
