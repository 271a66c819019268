import { z } from "zod";
import { DEPTH_MESSAGE, hasNul, NUL_MESSAGE, wellFormed, withinDepth } from "./text.ts";

/*
 * What enters Lift, as zod schemas. Values from files may arrive as text
 * (CSV) or typed (NDJSON, HTTP); numbers, money and dates are read after the
 * shape is checked, by values.ts, with the reporting time zone and currency.
 */

// A JSON object, checked without copying its keys (properties and context can be large; their
// values are stored as they came).
const jsonObject = z
  .custom<Record<string, unknown>>(
    (value) => typeof value === "object" && value !== null && !Array.isArray(value),
    { message: "must be a JSON object" },
  )
  .refine((value) => withinDepth(value), DEPTH_MESSAGE);
/** Text of a column of its own (ids, names): no NUL, lone surrogates replaced. */
const noNul = (text: string) => !hasNul(text);
const idValue = z
  .union([z.string(), z.number()])
  .transform((value) => wellFormed(String(value).trim()))
  .pipe(z.string().min(1, "is empty").max(256, "is longer than 256 characters").refine(noNul, NUL_MESSAGE));
const timeValue = z.union([z.string(), z.number(), z.date()]);

/** One event in the Segment spec (track, page, identify). */
export const segmentEventSchema = z
  .object({
    type: z.enum(["track", "page", "identify"], {
      error: (issue) =>
        `"${String(issue.input)}" is not supported: Lift takes track, page and identify events (Segment spec)`,
    }),
    event: z
      .string()
      .trim()
      .min(1, "is empty")
      .max(200, "is longer than 200 characters")
      .refine(noNul, NUL_MESSAGE)
      .transform(wellFormed)
      .optional(),
    name: z.string().max(200).refine(noNul, NUL_MESSAGE).transform(wellFormed).nullish(),
    userId: idValue.nullish(),
    anonymousId: idValue.nullish(),
    properties: jsonObject.nullish(),
    traits: jsonObject.nullish(),
    context: jsonObject.nullish(),
    timestamp: timeValue.nullish(),
    originalTimestamp: timeValue.nullish(),
    sentAt: timeValue.nullish(),
    messageId: z
      .string()
      .trim()
      .min(1)
      .max(200, "is longer than 200 characters")
      .refine(noNul, NUL_MESSAGE)
      .transform(wellFormed)
      .nullish(),
  })
  .superRefine((event, ctx) => {
    if (!event.userId && !event.anonymousId) {
      ctx.addIssue({
        code: "custom",
        path: ["userId"],
        message: "is missing: every event needs a userId or an anonymousId",
      });
    }
    if (event.type === "track" && !event.event) {
      ctx.addIssue({
        code: "custom",
        path: ["event"],
        message: "is missing: a track call needs an event name",
      });
    }
    if (event.type === "identify" && !event.userId) {
      ctx.addIssue({
        code: "custom",
        path: ["userId"],
        message: "is missing: an identify call needs a userId",
      });
    }
  });

export type SegmentEvent = z.infer<typeof segmentEventSchema>;

/** A cell of a file or a field of JSON: text, a number, a flag or nothing. */
export const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();
/** Text that must be there (a number is read as text), trimmed, at most `max` characters. */
export const requiredText = (max: number) =>
  z
    .union([z.string(), z.number()], { error: "is missing" })
    .transform((value) => wellFormed(String(value).trim()))
    .pipe(z.string().min(1, "is empty").max(max, `is longer than ${max} characters`));
/** Text that may be missing or empty (then undefined), trimmed, at most `max` characters. */
export const optionalText = (max: number) =>
  z
    .union([z.string(), z.number(), z.null()])
    .optional()
    .transform((value) =>
      value === null || value === undefined || String(value).trim() === ""
        ? undefined
        : wellFormed(String(value).trim()),
    )
    .pipe(z.string().max(max, `is longer than ${max} characters`).optional());

export const customerRowSchema = z
  .object({
    id: requiredText(256),
    email: optionalText(320).pipe(z.email("is not an email address").optional()),
    first_seen: cell,
    updated_at: cell,
    traits: jsonObject.optional(),
  })
  .catchall(z.unknown());

export const orderRowSchema = z.object({
  id: requiredText(256),
  customer_id: optionalText(256),
  amount: z.union([z.string(), z.number()], { error: "is missing" }),
  currency: optionalText(3),
  timestamp: z.union([z.string(), z.number()], { error: "is missing" }),
  status: optionalText(64),
  channel: optionalText(64),
  campaign_id: optionalText(256),
  updated_at: cell,
});

/** Turns a zod error into one readable reason: `amount "12,5O" is not a number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.join(".");
      return path ? `${path} ${issue.message}` : issue.message;
    })
    .join("; ");
}

/** A row read by a kind's zod schema: its value, or the first problems in one line (as every kind says them). */
export function readRow<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { value: z.infer<S> } | { error: string } {
  const parsed = schema.safeParse(input);
  return parsed.success ? { value: parsed.data } : { error: describeIssues(parsed.error) };
}
