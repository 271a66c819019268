import { daysBetween } from "../../platform/time/zone.ts";

/**
 * Budget pacing, as pure math: a budget is meant to be spent evenly from the
 * campaign's first to its last day. Pace = spend so far ÷ what even spending
 * would have spent by now; within ±10 % counts as on track.
 */
export interface PacingInput {
  budgetMinor: number;
  startDay: string;
  endDay: string;
  spendMinor: number;
  /** The last complete day (spend is counted through it). */
  through: string;
}

export interface Pacing {
  status: "not_started" | "on_track" | "over" | "under" | "ended" | "overspent";
  daysTotal: number;
  daysElapsed: number;
  daysLeft: number;
  expectedMinor: number;
  pace: number | null;
  projectedMinor: number | null;
  /** Daily spend needed from now to land on the budget. */
  neededPerDayMinor: number | null;
  remainingMinor: number;
}

export const ON_TRACK_BAND = 0.1;

export function pace(input: PacingInput): Pacing {
  const daysTotal = daysBetween(input.startDay, input.endDay) + 1;
  // Days are YYYY-MM-DD strings, so the earlier one sorts first.
  const [lastCounted] = [input.through, input.endDay].sort() as [string, string];
  const daysElapsed = Math.max(0, Math.min(daysTotal, daysBetween(input.startDay, lastCounted) + 1));
  const daysLeft = daysTotal - daysElapsed;
  const remainingMinor = input.budgetMinor - input.spendMinor;
  const expectedMinor = Math.round((input.budgetMinor * daysElapsed) / daysTotal);
  const base = { daysTotal, daysElapsed, daysLeft, expectedMinor, remainingMinor };
  if (daysElapsed === 0) {
    return {
      ...base,
      status: "not_started",
      pace: null,
      projectedMinor: null,
      neededPerDayMinor: Math.round(input.budgetMinor / daysTotal),
    };
  }
  const paceValue = expectedMinor > 0 ? input.spendMinor / expectedMinor : null;
  const projectedMinor = Math.round((input.spendMinor / daysElapsed) * daysTotal);
  if (daysLeft === 0)
    return {
      ...base,
      status: "ended",
      pace: paceValue,
      projectedMinor: input.spendMinor,
      neededPerDayMinor: null,
    };
  if (input.spendMinor > input.budgetMinor) {
    return { ...base, status: "overspent", pace: paceValue, projectedMinor, neededPerDayMinor: 0 };
  }
  const status =
    paceValue === null || Math.abs(paceValue - 1) <= ON_TRACK_BAND
      ? "on_track"
      : paceValue > 1
        ? "over"
        : "under";
  return {
    ...base,
    status,
    pace: paceValue,
    projectedMinor,
    neededPerDayMinor: Math.round(remainingMinor / daysLeft),
  };
}
