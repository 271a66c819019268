import { z } from "zod";
import { optionalText } from "../../platform/contract/settings.ts";

/** Days to keep a kind of data; unset keeps it (Lift deletes nothing by default). */
const days = optionalText.pipe(
  z
    .string()
    .regex(/^\d+$/, "must be a whole number of days")
    .transform(Number)
    .pipe(z.number().min(1, "must be 1 day or more").max(36500, "must be at most 36500 days"))
    .optional(),
);

/**
 * The privacy capability's settings: how long each kind of data is kept — raw events, social
 * mentions, messages sent by automations, stored answers (buttons behind an answer) — in days.
 * Rollups (daily counts and revenue) are kept whatever these say.
 */
export const privacySettings = z.object({
  LIFT_RETAIN_EVENTS_DAYS: days,
  LIFT_RETAIN_MENTIONS_DAYS: days,
  LIFT_RETAIN_SENDS_DAYS: days,
  LIFT_RETAIN_ANSWERS_DAYS: days,
});

export type PrivacySettings = z.infer<typeof privacySettings>;
