import type { ValueFormat } from "./spec.ts";

/** The fewest decimals (at most 2) that write every value exactly. */
function decimalsFor(values: number[]): number {
  for (let digits = 0; digits < 2; digits++) {
    const factor = 10 ** digits;
    if (values.every((v) => Math.abs(Math.round(v * factor) - v * factor) < 1e-6)) return digits;
  }
  return 2;
}

const minus = (v: number) => (v < 0 ? "−" : "");

/**
 * Tick labels for one axis, all in one unit and with one number of decimals:
 * "12K, 10K, 8K" — never "12K, 10K, 8,000", which reads as a jump in scale.
 * The unit comes from the largest tick, the decimals from the ticks themselves.
 */
export function axisLabels(values: number[], format: ValueFormat, currency = "USD"): string[] {
  if (format === "percent") {
    const scaled = values.map((v) => v * 100);
    const digits = decimalsFor(scaled);
    return scaled.map((v) => `${minus(v)}${Math.abs(v).toFixed(digits)}%`);
  }
  if (format === "multiple") {
    const digits = decimalsFor(values);
    return values.map((v) => `${minus(v)}${Math.abs(v).toFixed(digits)}×`);
  }
  const largest = Math.max(0, ...values.map((v) => Math.abs(v)));
  const [divisor, suffix] =
    largest >= 1e9 ? [1e9, "B"] : largest >= 1e6 ? [1e6, "M"] : largest >= 1e4 ? [1e3, "K"] : [1, ""];
  const scaled = values.map((v) => v / divisor);
  const digits = decimalsFor(scaled);
  const number = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  const symbol = format === "money" ? currencySymbol(currency) : "";
  // Zero is zero in any unit: "$0", not "$0K".
  return scaled.map((v) =>
    v === 0 ? `${symbol}0` : `${minus(v)}${symbol}${number.format(Math.abs(v))}${suffix}`,
  );
}

const symbols = new Map<string, string>();

function currencySymbol(currency: string): string {
  let symbol = symbols.get(currency);
  if (symbol === undefined) {
    symbol =
      new Intl.NumberFormat("en-US", { style: "currency", currency, currencyDisplay: "narrowSymbol" })
        .formatToParts(0)
        .find((part) => part.type === "currency")?.value ?? `${currency} `;
    symbols.set(currency, symbol);
  }
  return symbol;
}
