import { type Exposure, exposureStep } from "../../../db/experiments/exposures.ts";
import type { EventObserver } from "../../platform/ingest/index.ts";
import { hasNul, NUL_MESSAGE } from "../../platform/ingest/index.ts";

/** The track event that says a person saw a variation (Segment's spec, GrowthBook's tracking callback). */
export const EXPOSURE_EVENT = "Experiment Viewed";

const text = (value: unknown) =>
  typeof value === "string" || typeof value === "number" ? String(value).trim() : "";

/**
 * Exposures from `Experiment Viewed` events (`experiment_id`, `variation_id`;
 * the Segment and GrowthBook convention, camelCase and `variant` accepted): an
 * event that names no experiment or variation is rejected with the reason.
 */
export const exposures: EventObserver<Exposure> = {
  id: exposureStep.id,
  read(event) {
    if (event.type !== "track" || event.event !== EXPOSURE_EVENT) return null;
    const { properties } = event;
    const experiment = text(properties["experiment_id"] ?? properties["experimentId"]);
    const variant = text(properties["variation_id"] ?? properties["variationId"] ?? properties["variant"]);
    if (experiment === "" || variant === "")
      return {
        error: `properties.experiment_id and properties.variation_id are needed: an ${EXPOSURE_EVENT} event says which experiment and which variation`,
      };
    if (hasNul(experiment) || hasNul(variant))
      return { error: `properties.experiment_id or properties.variation_id ${NUL_MESSAGE}` };
    if (experiment.length > 200 || variant.length > 100)
      return { error: "properties.experiment_id (200) or properties.variation_id (100) is too long" };
    return { value: { experimentId: experiment, variant } };
  },
  step: exposureStep,
};
