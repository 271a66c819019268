import type fc from "fast-check";

/*
 * How long each fuzz target runs. In `npm test` (and CI) each has a few seconds, with the
 * fixed seed of test/support/fast-check.ts, so a run tries the same cases first every time and
 * the whole fuzz stays well under two minutes. `npm run fuzz -- --seconds N` gives every target
 * N seconds and a new seed (printed, so a failure can be replayed with `--seed`).
 */
const seconds = Number(process.env["FUZZ_SECONDS"] ?? "");
const seed = process.env["FUZZ_SEED"];

/** Seconds a target runs: `npm run fuzz`'s, or its own share in `npm test`. */
export function fuzzSeconds(inTests: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? seconds : inTests;
}

/** fast-check's options for one target: as many runs as fit in its time, then stop (not a failure). */
export function fuzzOptions<T>(inTests: number): fc.Parameters<T> {
  return {
    numRuns: 1_000_000_000,
    interruptAfterTimeLimit: fuzzSeconds(inTests) * 1000,
    markInterruptAsFailure: false,
    ...(seed ? { seed: Number(seed) } : {}),
    // A failure shows the request or text it was, shrunk to the smallest that still fails.
    endOnFailure: false,
  };
}

/** A test's timeout: its fuzzing time and room to set up and shrink a failure. */
export function fuzzTimeout(inTests: number): number {
  return (fuzzSeconds(inTests) + 90) * 1000;
}
