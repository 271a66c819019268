import { createHash } from "node:crypto";

/** A stable id for a row that has none: a hash of its content, so re-importing it is a duplicate. */
export function contentId(prefix: string, parts: unknown[]): string {
  return `${prefix}_${createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 22)}`;
}
