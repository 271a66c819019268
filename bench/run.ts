import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchChart } from "./chart.ts";
import { CACHE, fmt } from "./common.ts";
import { benchHttp } from "./http.ts";
import { benchImport } from "./import.ts";
import { benchKpi } from "./kpi.ts";
import { benchSlackAck } from "./slack.ts";

/**
 * `npm run bench`: each figure as a ratio against a baseline measured in the
 * same run, with the absolute figures beside it. The 10M-event database is
 * built once into bench/.cache (a few minutes) and reused.
 * Options: --quick (smaller sizes), --only import|http|kpi|chart|slack.
 */
const { values } = parseArgs({ options: { quick: { type: "boolean" }, only: { type: "string" } } });
const quick = Boolean(values.quick);
const only = values.only;
mkdirSync(CACHE, { recursive: true });

type Result = { name: string; ratio: number; goal: string; detail: string };
const results: Result[] = [];
const print = (result: Result) => {
  results.push(result);
  process.stdout.write(
    `${result.name}\n  ratio ${fmt(result.ratio, 3)}  (goal ${result.goal})  ${result.detail}\n`,
  );
};

process.stdout.write(
  `Lift benchmarks · node ${process.version} · ${new Date().toISOString()}${quick ? " · quick" : ""}\n\n`,
);
if (!only || only === "import") print(await benchImport(quick ? 50_000 : 200_000));
if (!only || only === "http") print(await benchHttp(quick ? 500 : 2_000));
if (!only || only === "kpi")
  for (const result of await benchKpi(quick ? 1_000_000 : 10_000_000, quick ? 50_000 : 500_000))
    print(result);
if (!only || only === "chart") print(await benchChart());
if (!only || only === "slack") print(await benchSlackAck(quick ? 200 : 1_000));
writeFileSync(join(CACHE, "last.json"), `${JSON.stringify(results, null, 2)}\n`);
