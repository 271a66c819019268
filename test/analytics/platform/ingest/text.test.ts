import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tooMuch, withinDepth } from "../../../../analytics/platform/ingest/text.ts";

/** The exact rule tooMuch stands for: depth first, then the length of JSON.stringify. */
function exact(value: unknown, maxDepth: number, maxLength: number): "deep" | "large" | null {
  if (!withinDepth(value, maxDepth)) return "deep";
  return JSON.stringify(value).length > maxLength ? "large" : null;
}

describe("tooMuch", () => {
  it("says what the exact rule says for any JSON value (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 400 }),
        (value, depth, length) => {
          expect(tooMuch(value, depth, length)).toBe(exact(value, depth, length));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("bounds strings that JSON escapes to six characters each, and the longest numbers", () => {
    const controls = { a: "\u0001".repeat(100), n: -0.0000012345678901234567 };
    const length = JSON.stringify(controls).length;
    expect(tooMuch(controls, 64, length)).toBeNull();
    expect(tooMuch(controls, 64, length - 1)).toBe("large");
    expect(tooMuch([[[1]]], 2, 1000)).toBe("deep");
    expect(tooMuch([[[1]]], 3, 1000)).toBeNull();
  });
});
