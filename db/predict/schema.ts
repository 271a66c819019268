import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Fitted customer models (kind "clv": BG/NBD and Gamma-Gamma), one row per kind and as-of day,
 * kept so answers, segment rules and the digest read the nightly fit instead of refitting.
 * `data` is the fit as JSON (parameters, counts, its holdout check, whether it can be trusted).
 */
export const predictFits = sqliteTable(
  "predict_fits",
  {
    kind: text("kind").notNull(),
    asOf: text("as_of").notNull(),
    data: text("data").notNull(),
    fittedAt: integer("fitted_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.asOf] })],
);
