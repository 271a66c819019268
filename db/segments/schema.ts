import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Customer segments: saved rules (`segment create NAME where RULE`), and the
 * RFM segments Lift keeps itself (kind "rfm", definition the segment's name).
 */
export const segments = sqliteTable("segments", {
  id: integer("id").primaryKey(),
  name: text("name").notNull().unique(),
  definition: text("definition").notNull(),
  kind: text("kind", { enum: ["rule", "rfm"] })
    .notNull()
    .default("rule"),
  owner: text("owner"),
  createdAt: integer("created_at").notNull().default(0),
  computedAt: integer("computed_at"),
});

/** Each segment's size and revenue per day, as recomputed (for its trend). */
export const segmentHistory = sqliteTable(
  "segment_history",
  {
    segmentId: integer("segment_id").notNull(),
    day: text("day").notNull(),
    size: integer("size").notNull(),
    revenueMinor: integer("revenue_minor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.day] })],
);

/** Who joined or left a segment on which recompute (for "who joined or left since last week"). */
export const segmentChanges = sqliteTable(
  "segment_changes",
  {
    segmentId: integer("segment_id").notNull(),
    day: text("day").notNull(),
    personId: text("person_id").notNull(),
    change: text("change", { enum: ["joined", "left"] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.day, t.personId] })],
);

export const segmentMembers = sqliteTable(
  "segment_members",
  {
    segmentId: integer("segment_id")
      .notNull()
      .references(() => segments.id, { onDelete: "cascade" }),
    personId: text("person_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.personId] }), index("segment_members_person").on(t.personId)],
);
