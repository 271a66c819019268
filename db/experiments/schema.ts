import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A/B experiments: what is tested, how it is judged, and its state. Made the
 * first time exposures for an unknown id arrive (running, equal split, goal
 * orders), and edited with `experiment set`.
 */
export const experiments = sqliteTable("experiments", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  hypothesis: text("hypothesis"),
  /** JSON: [{id, weight}] in the order they were first seen (or set). */
  variants: text("variants").notNull(),
  control: text("control"),
  /** "orders", "revenue", or an event name (conversion to it). */
  goal: text("goal").notNull(),
  /** JSON: event names shown beside the goal but not decided on. */
  guardrails: text("guardrails").notNull(),
  /** Minimum detectable (relative) effect. */
  mde: real("mde").notNull(),
  owner: text("owner"),
  /** Slack channel id (or "console") its alerts go to. */
  channel: text("channel"),
  startAt: integer("start_at"),
  endAt: integer("end_at"),
  status: text("status", { enum: ["draft", "running", "stopped", "shipped"] }).notNull(),
  shippedVariant: text("shipped_variant"),
  /** Days after first exposure a conversion counts in; null: until the experiment ends. */
  windowDays: integer("window_days"),
  /** Cap per-person revenue/orders at this percentile (e.g. 0.99); null: no cap. */
  capPercentile: real("cap_percentile"),
  /** JSON: decision settings that differ from the defaults (minDays, minPerVariant, tuning). */
  settings: text("settings").notNull(),
  /** "events" (exposures from Experiment Viewed) or "import" (a results file). */
  source: text("source", { enum: ["events", "import"] }).notNull(),
  /** The last verdict the job found, and when it changed (for the digest). */
  verdict: text("verdict"),
  verdictAt: integer("verdict_at"),
  snoozedUntil: integer("snoozed_until"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Each person's first exposure to an experiment, kept by the ingest
 * transaction (and re-keyed when an anonymous visitor is identified). A person
 * seen in two variants is marked `conflict` and left out of the analysis.
 * WITHOUT ROWID (migration 0005).
 */
export const exposures = sqliteTable(
  "exposures",
  {
    experimentId: text("experiment_id").notNull(),
    personId: text("person_id").notNull(),
    variant: text("variant").notNull(),
    firstAt: integer("first_at").notNull(),
    conflict: integer("conflict").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.experimentId, t.personId] }),
    index("exposures_person").on(t.personId),
    // Counts per variant and quarter hour read in index order, without sorting a million exposures.
    index("exposures_variant").on(t.experimentId, t.variant, t.conflict, t.firstAt),
  ],
);

/**
 * Per-user results imported from another tool (`lift experiments import`); a
 * user in two variants is stored with variant "*" and left out. WITHOUT ROWID (migration 0005).
 */
export const experimentRows = sqliteTable(
  "experiment_rows",
  {
    experimentId: text("experiment_id").notNull(),
    userId: text("user_id").notNull(),
    variant: text("variant").notNull(),
    /** Conversions (orders) after exposure: 0 for none. */
    converted: integer("converted").notNull(),
    revenue: real("revenue").notNull(),
    /** When the user was first exposed, and first converted (optional in a file; the demo has them). */
    exposedAt: integer("exposed_at"),
    convertedAt: integer("converted_at"),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.userId] })],
);
