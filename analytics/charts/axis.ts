import type { ValueFormat } from "./spec.ts";

/**
 * Tick labels for one axis, all in one unit and with one number of decimals:
 * "12K, 10K, 8K" — never "12K, 10K, 8,000", which reads as a jump in scale.
 * The unit comes from the largest tick, the decimals from the step between ticks.
 */
export function axisLabels(values: number[], format: ValueFormat, currency = "USD"): string[] {
  if (format === "percent") {
    const step = smallestStep(values.map((v) => v * 100));
    const decimals = step >= 1 || step === 0 ? 0 : Math.min(2, Math.ceil(-Math.log10(step)));
    return values.map((v) => `${(v * 100).toFixed(decimals)}%`);
  }
  if (format === "multiple") {
    const step = smallestStep(values);
    const decimals = step >= 1 || step === 0 ? 0 : Math.min(2, Math.ceil(-Math.log10(step)));
    return values.map((v) => `${v.toFixed(decimals)}×`);
  }
  const largest = Math.max(0, ...values.map((v) => Math.abs(v)));
  const [divisor, suffix] =
    largest >= 1e9 ? [1e9, "B"] : largest >= 1e6 ? [1e6, "M"] : largest >= 1e4 ? [1e3, "K"] : [1, ""];
  const scaled = values.map((v) => v / divisor);
  const step = smallestStep(scaled);
  const decimals = step >= 1 || step === 0 ? 0 : Math.min(2, Math.ceil(-Math.log10(step) - 1e-9));
  const number = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  const symbol = format === "money" ? currencySymbol(currency) : "";
  // Zero is zero in any unit: "$0", not "$0K".
  return scaled.map((v) =>
    v === 0 ? `${symbol}0` : `${v < 0 ? "−" : ""}${symbol}${number.format(Math.abs(v))}${suffix}`,
  );
}

function smallestStep(values: number[]): number {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  let step = 0;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!;
    if (gap > 1e-12 && (step === 0 || gap < step)) step = gap;
  }
  return step;
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
