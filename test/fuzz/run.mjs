#!/usr/bin/env node
// `npm run fuzz -- --seconds N [--seed S] [--only http|parsers|data|feeds]`: every fuzz
// target in test/fuzz for N seconds each (default 60), with a new seed unless one is given.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    seed: { type: "string" },
    only: { type: "string" },
  },
});
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds <= 0) {
  process.stderr.write(`fuzz: --seconds ${values.seconds} is not a number of seconds\n`);
  process.exit(2);
}
const seed = values.seed ?? String(Math.floor(Math.random() * 2 ** 31));
process.stdout.write(`fuzz: ${seconds} s per target, seed ${seed} (replay with --seed ${seed})\n`);
const files = values.only ? [`test/fuzz/${values.only}.fuzz`] : ["test/fuzz/"];
const result = spawnSync("npx", ["vitest", "run", ...files], {
  stdio: "inherit",
  env: { ...process.env, FUZZ_SECONDS: String(seconds), FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);
