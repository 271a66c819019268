import fc from "fast-check";

// Deterministic property tests (STYLE.md): the same cases on every run and in CI. To explore new
// cases, change the seed locally and raise numRuns; keep any counterexample as a test of its own.
fc.configureGlobal({ seed: 20_261_124 });
