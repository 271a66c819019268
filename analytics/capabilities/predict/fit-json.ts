/*
 * Fits are kept as JSON (predict_fits), and JSON has no NaN or Infinity: JSON.stringify writes
 * them as null, and a fit read back had null where a number was (a degenerate fit's parameters),
 * which broke every answer that printed it. These keep non-finite numbers as themselves.
 */

const NON_FINITE = "$nonFinite";

/** A fit as JSON, with NaN and ±Infinity kept. */
export function fitToJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    typeof v === "number" && !Number.isFinite(v) ? { [NON_FINITE]: String(v) } : v,
  );
}

/** A fit read back from `fitToJson` (or from JSON kept before it, where they were null). */
export function fitFromJson<T>(text: string): T {
  return JSON.parse(text, (_key, v) =>
    v &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    typeof v[NON_FINITE] === "string" &&
    Object.keys(v).length === 1
      ? Number(v[NON_FINITE])
      : v,
  ) as T;
}
