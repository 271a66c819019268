import { z } from "zod";

/**
 * LIFT_TARGETS: the totals the digest and App Home measure the forecast against, separated by
 * semicolons, each as the `target` command reads it ("revenue 1000000 this quarter; orders 5000
 * this month"). Read once at start; a phrase the command cannot read shows its reason in the digest.
 * LIFT_CLV_DISCOUNT: the yearly discount rate of customers' 12-month value (0.1 = 10 % a year),
 * applied month by month.
 */
export const predictSettings = z.object({
  LIFT_TARGETS: z
    .string()
    .optional()
    .transform((text) =>
      (text ?? "")
        .split(";")
        .map((t) => t.trim())
        .filter((t) => t !== ""),
    ),
  LIFT_CLV_DISCOUNT: z.coerce
    .number()
    .min(0, "must be 0 or more (0.1 is 10 % a year)")
    .max(1, "is a yearly rate: 0.1 is 10 % a year")
    .default(0.1),
});

export type PredictSettings = z.infer<typeof predictSettings>;
