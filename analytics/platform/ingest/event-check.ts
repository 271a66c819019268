import type { SegmentEvent } from "./schemas.ts";
import { DEPTH_MESSAGE, hasNul, NUL_MESSAGE, wellFormed, withinDepth } from "./text.ts";

/*
 * The Segment event check of the HTTP hot path, written by hand: the same
 * rules and the same messages as `segmentEventSchema` (zod), at a fraction of
 * the cost per event. test/analytics/ingest/segment-check.test.ts feeds both
 * the same inputs, good and bad, and expects the same answers.
 *
 * As zod does: issues in the schema's field order; a wrong type stops the
 * cross-field rules (a missing id, a track without a name), a failed length
 * or content check does not; the reason is the first three issues.
 */

type Issue = { path: string; message: string };
type Checked = { value: SegmentEvent } | { error: string };

const TYPES = new Set(["track", "page", "identify"]);

function received(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Issues {
  readonly list: Issue[] = [];
  fatal = false;

  add(path: string, message: string, fatal = false): void {
    this.list.push({ path, message });
    if (fatal) this.fatal = true;
  }

  text(): string {
    return this.list
      .slice(0, 3)
      .map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message))
      .join("; ");
  }
}

/** userId, anonymousId: text or a number, trimmed, 1–256 characters, no NUL. */
function id(value: unknown, path: string, issues: Issues): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== "string" && typeof value !== "number") {
    issues.add(path, "Invalid input", true);
    return undefined;
  }
  const text = wellFormed(String(value).trim());
  if (text.length === 0) issues.add(path, "is empty");
  if (text.length > 256) issues.add(path, "is longer than 256 characters");
  if (hasNul(text)) issues.add(path, NUL_MESSAGE);
  return text;
}

function object(value: unknown, path: string, issues: Issues): Record<string, unknown> | null | undefined {
  if (value === undefined || value === null) return value;
  if (!isObject(value)) {
    issues.add(path, "must be a JSON object", true);
    return undefined;
  }
  if (!withinDepth(value)) issues.add(path, DEPTH_MESSAGE);
  return value;
}

function time(value: unknown, path: string, issues: Issues): SegmentEvent["timestamp"] {
  if (value === undefined || value === null) return value;
  if (typeof value === "string" || typeof value === "number" || value instanceof Date) return value;
  issues.add(path, "Invalid input", true);
  return undefined;
}

function text(
  value: unknown,
  path: string,
  issues: Issues,
  rules: { trim: boolean; tooShort: string | null; max: number; tooLong: string },
): string | undefined {
  if (typeof value !== "string") {
    issues.add(path, `Invalid input: expected string, received ${received(value)}`, true);
    return undefined;
  }
  const trimmed = rules.trim ? value.trim() : value;
  if (rules.tooShort !== null && trimmed.length === 0) issues.add(path, rules.tooShort);
  if (trimmed.length > rules.max) issues.add(path, rules.tooLong);
  if (hasNul(trimmed)) issues.add(path, NUL_MESSAGE);
  return wellFormed(trimmed);
}

/** A Segment event (track, page, identify) checked and tidied, or the reason it is refused. */
export function checkSegmentEvent(input: unknown): Checked {
  if (!isObject(input)) return { error: `Invalid input: expected object, received ${received(input)}` };
  const issues = new Issues();
  const type = input["type"];
  if (typeof type !== "string" || !TYPES.has(type))
    issues.add(
      "type",
      `"${String(type)}" is not supported: Lift takes track, page and identify events (Segment spec)`,
      true,
    );
  const event =
    input["event"] === undefined
      ? undefined
      : text(input["event"], "event", issues, {
          trim: true,
          tooShort: "is empty",
          max: 200,
          tooLong: "is longer than 200 characters",
        });
  const rawName = input["name"];
  const name =
    rawName === undefined || rawName === null
      ? rawName
      : text(rawName, "name", issues, {
          trim: false,
          tooShort: null,
          max: 200,
          tooLong: "Too big: expected string to have <=200 characters",
        });
  const userId = id(input["userId"], "userId", issues);
  const anonymousId = id(input["anonymousId"], "anonymousId", issues);
  const properties = object(input["properties"], "properties", issues);
  const traits = object(input["traits"], "traits", issues);
  const context = object(input["context"], "context", issues);
  const timestamp = time(input["timestamp"], "timestamp", issues);
  const originalTimestamp = time(input["originalTimestamp"], "originalTimestamp", issues);
  const sentAt = time(input["sentAt"], "sentAt", issues);
  const rawMessageId = input["messageId"];
  const messageId =
    rawMessageId === undefined || rawMessageId === null
      ? rawMessageId
      : text(rawMessageId, "messageId", issues, {
          trim: true,
          tooShort: "Too small: expected string to have >=1 characters",
          max: 200,
          tooLong: "is longer than 200 characters",
        });
  if (!issues.fatal) {
    if (!userId && !anonymousId)
      issues.add("userId", "is missing: every event needs a userId or an anonymousId");
    if (type === "track" && !event) issues.add("event", "is missing: a track call needs an event name");
    if (type === "identify" && !userId) issues.add("userId", "is missing: an identify call needs a userId");
  }
  if (issues.list.length > 0) return { error: issues.text() };
  const value: Record<string, unknown> = { type };
  // Only the keys that were there, as zod's parse leaves them.
  if (event !== undefined) value["event"] = event;
  if (name !== undefined) value["name"] = name;
  if (userId !== undefined) value["userId"] = userId;
  if (anonymousId !== undefined) value["anonymousId"] = anonymousId;
  if (properties !== undefined) value["properties"] = properties;
  if (traits !== undefined) value["traits"] = traits;
  if (context !== undefined) value["context"] = context;
  if (timestamp !== undefined) value["timestamp"] = timestamp;
  if (originalTimestamp !== undefined) value["originalTimestamp"] = originalTimestamp;
  if (sentAt !== undefined) value["sentAt"] = sentAt;
  if (messageId !== undefined) value["messageId"] = messageId;
  return { value: value as SegmentEvent };
}
