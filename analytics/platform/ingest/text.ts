/*
 * Rules for text that enters Lift, shared by the zod schemas and the
 * hand-written validator of the HTTP hot path (the two must say the same).
 */

/**
 * The most one event (or one imported row) may hold: Segment's documented limit per call of its HTTP
 * Tracking API (segment.com/docs/connections/sources/catalog/libraries/server/http-api), the same at
 * every door (HTTP, imports, pulled sources).
 */
export const MAX_EVENT_BYTES = 32 * 1024;

/** How deep properties, traits and context may nest (objects and arrays). */
export const MAX_DEPTH = 64;

export const NUL_MESSAGE = "contains a NUL character (\\u0000): remove it";
export const DEPTH_MESSAGE = `is nested more than ${MAX_DEPTH} levels deep`;

import { MARKERS } from "../reports/refs.ts";

type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Text with lone UTF-16 surrogates (half an emoji, cut by a client) replaced
 * by U+FFFD, so SQLite never stores invalid UTF-8; and without the two
 * private-use characters reports use to mark Slack channel links (MARKERS in
 * reports/refs.ts), so data can never turn into a link.
 */
export function wellFormed(text: string): string {
  const t = text as unknown as WellFormed;
  const formed = t.isWellFormed() ? text : t.toWellFormed();
  return formed.includes("\ue000") || formed.includes("\ue001") ? formed.replace(MARKERS, "") : formed;
}

export function hasNul(text: string): boolean {
  return text.includes("\u0000");
}

/** Whether a JSON value nests at most `limit` levels (an object or array is one level). */
export function withinDepth(value: unknown, limit = MAX_DEPTH): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (limit === 0) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!withinDepth(item, limit - 1)) return false;
    return true;
  }
  for (const key in value) if (!withinDepth((value as Record<string, unknown>)[key], limit - 1)) return false;
  return true;
}

/**
 * What a JSON value is too much of, in one walk: "deep" past `maxDepth` levels (checked first:
 * measuring a deeply nested value would itself overflow the stack), "large" when its
 * JSON.stringify is longer than `maxLength`, else null. The walk adds up an upper bound of that
 * length (every character escaped, every number at its longest), so an ordinary event is never
 * serialised just to be measured; only a value whose bound passes the limit is.
 */
export function tooMuch(value: unknown, maxDepth: number, maxLength: number): "deep" | "large" | null {
  const bound = jsonLengthBound(value, maxDepth);
  if (bound === -1) return "deep";
  if (bound <= maxLength) return null;
  return JSON.stringify(value).length > maxLength ? "large" : null;
}

/**
 * An upper bound of JSON.stringify(value).length, or -1 past `limit` levels. A string's character
 * is at most 6 in JSON (\u0000); a number at most 25 ("-0.0000012345678901234567").
 */
function jsonLengthBound(value: unknown, limit: number): number {
  switch (typeof value) {
    case "string":
      return 2 + 6 * value.length;
    case "number":
      return 25;
    case "boolean":
      return 5;
    case "object": {
      if (value === null) return 4;
      if (limit === 0) return -1;
      let total = 2;
      if (Array.isArray(value)) {
        for (const item of value) {
          const inner = jsonLengthBound(item, limit - 1);
          if (inner === -1) return -1;
          total += inner + 1;
        }
        return total;
      }
      for (const key in value) {
        const inner = jsonLengthBound((value as Record<string, unknown>)[key], limit - 1);
        if (inner === -1) return -1;
        total += 2 + 6 * key.length + 1 + inner + 1;
      }
      return total;
    }
    default:
      // undefined and functions are left out by JSON.stringify; a Date or bigint never comes from JSON.parse.
      return 4;
  }
}
