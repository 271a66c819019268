import { currencyDecimals } from "../base/format.ts";
import { type Parsed, parseMinorUnits } from "./values.ts";

export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    currencyDecimals(code);
    return true;
  } catch {
    return false;
  }
}

export interface MoneyPolicy {
  /** The one reporting currency. */
  currency: string;
  /** Units of the reporting currency per unit of another currency. */
  rates: Record<string, number>;
}

export interface Money {
  /** In minor units of the reporting currency. */
  minor: number;
  originalMinor: number;
  originalCurrency: string;
}

/**
 * The largest amount one row may carry, in minor units of its own currency: $100,000,000 (or
 * ¥10,000,000,000). Past it an amount is a unit mix-up or an attack (write keys of client-side
 * setups are public), and one such row would swamp every total and share.
 */
export const MAX_AMOUNT_MINOR = 10_000_000_000;

/**
 * Reads an amount in `currency` and converts it to the reporting currency, or says why it cannot.
 * Amounts are what was paid or spent: never negative (a refund is the order's status `refunded`,
 * which leaves it out), never past MAX_AMOUNT_MINOR.
 */
export function toReportingMoney(
  amount: unknown,
  currency: string | undefined,
  policy: MoneyPolicy,
): Parsed<Money> {
  const code = (currency ?? policy.currency).trim().toUpperCase();
  if (!isCurrencyCode(code)) return { ok: false, error: `currency "${currency}" is not an ISO 4217 code` };
  const original = parseMinorUnits(amount, currencyDecimals(code));
  if (!original.ok) return original;
  if (original.value < 0)
    return {
      ok: false,
      error: `${JSON.stringify(amount)} is negative: amounts are what was paid or spent (a refunded order is sent with status refunded)`,
    };
  if (original.value > MAX_AMOUNT_MINOR)
    return {
      ok: false,
      error: `${JSON.stringify(amount)} is larger than Lift takes for one row (${(MAX_AMOUNT_MINOR / 10 ** currencyDecimals(code)).toLocaleString("en-US")} ${code}): a unit mix-up?`,
    };
  if (code === policy.currency) {
    return {
      ok: true,
      value: { minor: original.value, originalMinor: original.value, originalCurrency: code },
    };
  }
  const rate = policy.rates[code];
  if (rate === undefined) {
    return {
      ok: false,
      error: `currency ${code} differs from the reporting currency ${policy.currency} and no rate is set (add ${code}=<rate> to LIFT_FX_RATES)`,
    };
  }
  const scale = 10 ** (currencyDecimals(policy.currency) - currencyDecimals(code));
  return {
    ok: true,
    value: {
      minor: Math.round(original.value * rate * scale),
      originalMinor: original.value,
      originalCurrency: code,
    },
  };
}
