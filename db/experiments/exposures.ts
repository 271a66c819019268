import type { EventStep } from "../platform/queries/events.ts";
import { preparedFor } from "../platform/queries/statements.ts";

/** What the experiments capability reads from an `Experiment Viewed` event. */
export interface Exposure {
  experimentId: string;
  variant: string;
}

const prepared = preparedFor((sqlite) => ({
  // A person's first exposure counts; a second variant marks them as seen in both (left out).
  expose: sqlite.prepare(
    `INSERT INTO exposures (experiment_id, person_id, variant, first_at, conflict) VALUES (?, ?, ?, ?, 0)
     ON CONFLICT (experiment_id, person_id) DO UPDATE SET
       conflict = CASE WHEN exposures.variant <> excluded.variant THEN 1 ELSE exposures.conflict END,
       variant = CASE WHEN excluded.first_at < exposures.first_at THEN excluded.variant ELSE exposures.variant END,
       first_at = min(exposures.first_at, excluded.first_at)`,
  ),
  rekeyExposures: sqlite.prepare(
    `INSERT INTO exposures (experiment_id, person_id, variant, first_at, conflict)
       SELECT experiment_id, ?, variant, first_at, conflict FROM exposures WHERE person_id = ? AND true
     ON CONFLICT (experiment_id, person_id) DO UPDATE SET
       conflict = CASE WHEN exposures.variant <> excluded.variant OR excluded.conflict = 1 THEN 1 ELSE exposures.conflict END,
       variant = CASE WHEN excluded.first_at < exposures.first_at THEN excluded.variant ELSE exposures.variant END,
       first_at = min(exposures.first_at, excluded.first_at)`,
  ),
  dropExposures: sqlite.prepare("DELETE FROM exposures WHERE person_id = ?"),
  // An experiment Lift has not heard of: running, equal split, goal orders (edited with `experiment set`).
  newExperiment: sqlite.prepare(
    `INSERT INTO experiments (id, name, variants, goal, guardrails, mde, start_at, status, settings, source, created_at, updated_at)
     VALUES (?, ?, '[]', 'orders', '[]', 0.1, ?, 'running', '{}', 'events', ?, ?)
     ON CONFLICT (id) DO UPDATE SET start_at = min(coalesce(experiments.start_at, excluded.start_at), excluded.start_at)`,
  ),
}));

/**
 * Exposures, kept in the events batch's own transaction: each person's first
 * exposure per experiment (people seen in two variants are marked and left out
 * of the analysis), an experiment made for an id Lift has not heard of, and a
 * visitor's exposures moved to the user they turn out to be.
 */
export const exposureStep: EventStep<Exposure> = {
  id: "experiments.exposures",
  write(db, items) {
    const q = prepared(db);
    const started = new Map<string, { at: number; receivedAt: number }>();
    for (const { personId, at, receivedAt, value } of items) {
      q.expose.run(value.experimentId, personId, value.variant, at);
      const first = started.get(value.experimentId);
      if (!first || at < first.at) started.set(value.experimentId, { at, receivedAt });
    }
    for (const [id, { at, receivedAt }] of started) q.newExperiment.run(id, id, at, receivedAt, receivedAt);
  },
  rekey(db, from, to) {
    const q = prepared(db);
    q.rekeyExposures.run(to, from);
    q.dropExposures.run(from);
  },
};
