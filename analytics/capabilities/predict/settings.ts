import { z } from "zod";

/**
 * LIFT_TARGETS: the totals the digest and App Home measure the forecast against, separated by
 * semicolons, each as the `target` command reads it ("revenue 1000000 this quarter; orders 5000
 * this month"). Read once at start; a phrase the command cannot read shows its reason in the digest.
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
});

export type PredictSettings = z.infer<typeof predictSettings>;
