import { describe, expect, it } from "vitest";
import { groundedSentences, numbersIn, sentences } from "../../../../analytics/capabilities/ask/grounding.ts";

const RESULT = [
  "Revenue · Last 7 days: down 11.0%",
  "Revenue was $50,320.20 (Nov 23 – Nov 29, 2026), down 11.0% (−$6,232.45) on the previous 7 days ($56,552.65).",
  "Paid search | $11,374.71 | $9,128.10 | -$2,246.61",
  "ROAS: 12.84×",
].join("\n");

describe("grounding the model's sentences", () => {
  it("reads numbers with their units and rounding", () => {
    expect(numbersIn("$1.2M and 12.3% and 4,200 orders and −$6,232.45")).toEqual([
      { value: 1_200_000, tolerance: 50_000, percent: false },
      { value: 12.3, tolerance: 0.05, percent: true },
      { value: 4200, tolerance: 0.5, percent: false },
      { value: -6232.45, tolerance: 0.005, percent: false },
    ]);
  });

  it("keeps sentences whose numbers are in the results, as shown or rounded", () => {
    const { kept, dropped } = groundedSentences(
      "Revenue fell 11% to about $50.3K last week. Paid search lost $2,246.61 of it.",
      [RESULT],
    );
    expect(kept).toEqual([
      "Revenue fell 11% to about $50.3K last week.",
      "Paid search lost $2,246.61 of it.",
    ]);
    expect(dropped).toEqual([]);
  });

  it("drops a sentence with an invented number, and keeps at most two", () => {
    const { kept, dropped } = groundedSentences(
      "Revenue was $50,320.20. It will reach $80,000 next week. ROAS was 12.84×. Paid search fell.",
      [RESULT],
    );
    expect(kept).toEqual(["Revenue was $50,320.20.", "ROAS was 12.84×."]);
    expect(dropped).toEqual(["It will reach $80,000 next week.", "Paid search fell."]);
  });

  it("does not end a sentence at a decimal point", () => {
    expect(sentences("Revenue was $1.2M. Orders rose.")).toEqual(["Revenue was $1.2M.", "Orders rose."]);
  });
});
