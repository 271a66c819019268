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
