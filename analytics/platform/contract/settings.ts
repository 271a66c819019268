import { z } from "zod";

/*
 * Pieces of zod schemas for settings read from the environment: the platform's
 * (env.ts) and each capability's own (`settings` in its definition). Every
 * value arrives as text; a wrong one becomes one line of the start-up message.
 */

/** Text, or undefined when empty or unset. */
export const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

/** A URL, or undefined when empty or unset. */
export const optionalUrl = optionalText.pipe(z.url().optional());

/** true/false/1/0 (default false). */
export const flag = z
  .enum(["true", "false", "1", "0", ""])
  .default("false")
  .transform((value) => value === "true" || value === "1");

/** A Slack channel id (C…/G…), or undefined when empty or unset. */
export const slackChannel = optionalText.pipe(
  z
    .string()
    .regex(/^[CG][A-Z0-9]{2,}$/, "must be a Slack channel id like C024BE91L")
    .optional(),
);

/** The variables a schema reads, for README's configuration table and the test that keeps it complete. */
export function settingNames(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/**
 * Parses a capability's settings from the environment: its value, or one line
 * per wrong variable ("LIFT_EXPERIMENTS_CHANNEL must be a Slack channel id …").
 */
export function parseSettings(
  schema: z.ZodType | undefined,
  env: Record<string, string | undefined>,
): { value: unknown; problems: string[] } {
  if (!schema) return { value: {}, problems: [] };
  const result = schema.safeParse(env);
  if (result.success) return { value: result.data, problems: [] };
  return {
    value: undefined,
    problems: result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "config");
      const raw = env[key];
      const shown = raw === undefined || /TOKEN|SECRET|KEY|PASSWORD/.test(key) ? "" : ` (got "${raw}")`;
      return `${key} ${issue.message}${shown}`;
    }),
  };
}
