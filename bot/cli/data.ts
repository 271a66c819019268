import { parseArgs } from "node:util";
import { AppError } from "../../analytics/platform/base/errors.ts";
import { formatCount } from "../../analytics/platform/base/format.ts";
import type { Core } from "../../analytics/platform/core.ts";
import { demoOptionsFor } from "../../analytics/platform/demo/index.ts";
import { DELIMITERS, type ImportSummary, parseDateFormat } from "../../analytics/platform/ingest/index.ts";
import { isDay } from "../../analytics/platform/time/zone.ts";
import type { CliIo } from "./io.ts";
import { progressBar } from "./progress.ts";

export function importHelp(core: Core): string {
  const kinds = core.dataKinds();
  return `lift import <${kinds.map((k) => k.name).join("|")}> FILE [--map column=field]… [--date-format DD/MM/YYYY|MM/DD/YYYY]
            [--delimiter ,|;|tab|pipe] [--rejects FILE] [--dry-run] [--json] [--batch-size N]
CSV (.csv, .tsv, .txt; the separator is found from the header) or NDJSON (.ndjson, .jsonl).
Re-running a file adds nothing; an interrupted import resumes.
Exports recognised by their headers: ${kinds
    .flatMap((k) => (k.profiles ?? []).map((p) => p.name))
    .join(", ")}.
Exit codes: 0 every row in; 3 some rows rejected, the rest in; 1 nothing in (or the import failed or stopped).
Columns:
${kinds.map((k) => `  ${k.name}: ${k.fields.replace(/`/g, "")}`).join("\n")}
`;
}

// Long on purpose: `lift import`'s flags, each checked with its own message, then the summary printed.
export async function importCommand(core: Core, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      map: { type: "string", multiple: true },
      "date-format": { type: "string" },
      rejects: { type: "string" },
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
      "batch-size": { type: "string" },
      delimiter: { type: "string" },
    },
  });
  const [kind, path] = positionals;
  if (!kind || !path || positionals.length > 2)
    throw new AppError("invalid_input", "lift import needs a kind and a file", { hint: importHelp(core) });
  const kinds = core.dataKinds().map((k) => k.name);
  if (!kinds.includes(kind)) {
    throw new AppError("invalid_input", `“${kind}” is not something Lift imports`, {
      hint: `kinds: ${kinds.join(", ")}`,
    });
  }
  const map: Record<string, string> = {};
  for (const pair of values.map ?? []) {
    const [column, field] = pair.split("=");
    if (!column || !field)
      throw new AppError("invalid_input", `--map ${pair} is not column=field`, {
        hint: "--map Umsatz=amount",
      });
    map[column] = field;
  }
  let dateFormat: ReturnType<typeof parseDateFormat> | undefined;
  if (values["date-format"]) {
    dateFormat = parseDateFormat(values["date-format"]);
    if (!dateFormat)
      throw new AppError(
        "invalid_input",
        `--date-format ${values["date-format"]} is not DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD`,
      );
  }
  const batchSize = values["batch-size"] ? Number(values["batch-size"]) : undefined;
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0 && batchSize <= 100_000)) {
    throw new AppError("invalid_input", "--batch-size takes a whole number from 1 to 100000");
  }
  const delimiter = values.delimiter === undefined ? undefined : delimiterFlag(values.delimiter);
  let stop = false;
  const release = io.onInterrupt(() => {
    stop = true;
    io.err("\nStopping after the current batch…\n");
  });
  const bar = progressBar(io, `Importing ${kind}`);
  try {
    const summary = await core.importFile({
      kind,
      path,
      map,
      dateFormat: dateFormat ?? undefined,
      delimiter,
      dryRun: Boolean(values["dry-run"]),
      rejectsPath: values.rejects,
      ...(batchSize ? { batchSize } : {}),
      onProgress: ({ bytes, totalBytes, rows }) => bar.update(bytes, totalBytes, rows),
      shouldStop: () => stop,
    });
    bar.done();
    if (values.json) {
      io.out(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      const lines = [
        `${summary.dryRun ? "Dry run (nothing written): " : ""}${formatCount(summary.rows)} rows read from ${path} in ${summary.seconds.toFixed(1)} s`,
      ];
      if (summary.profile) lines.push(`  read as a ${summary.profile}`);
      if (summary.encoding !== "utf-8")
        lines.push(
          `  the file is not UTF-8: read as ${summary.encoding} (Latin-1 as Western spreadsheets save it); check a few names with accents`,
        );
      if (summary.delimiter && summary.delimiter !== ",")
        lines.push(`  ${DELIMITERS[summary.delimiter] ?? `“${summary.delimiter}”`}-separated`);
      if (summary.resumedAfter > 0)
        lines.push(
          `  resumed after row ${formatCount(summary.resumedAfter)} (an earlier import was interrupted)`,
        );
      lines.push(`  ${formatCount(summary.accepted)} ${summary.dryRun ? "valid" : "new"}`);
      if (!summary.dryRun) {
        lines.push(
          `  ${formatCount(summary.updated)} updated`,
          `  ${formatCount(summary.duplicates)} duplicates (already stored)`,
        );
        if (summary.stale > 0)
          lines.push(`  ${formatCount(summary.stale)} older than what is stored (left alone)`);
      }
      if (summary.continuationRows > 0)
        lines.push(
          `  ${formatCount(summary.continuationRows)} line-item rows folded into their order (not orders of their own)`,
        );
      lines.push(`  ${formatCount(summary.rejectedCount)} rejected`);
      for (const rejection of summary.rejections.slice(0, 20))
        lines.push(`    row ${rejection.row}: ${rejection.reason}`);
      if (summary.rejectedCount > 20) {
        lines.push(
          `    … and ${formatCount(summary.rejectedCount - 20)} more${values.rejects ? ` (all in ${values.rejects})` : " (add --rejects FILE to get them all)"}`,
        );
      } else if (summary.rejectedCount > 0 && values.rejects)
        lines.push(`  rejected rows written to ${values.rejects}`);
      if (summary.ignoredColumnCount > 0) {
        const shown = summary.ignoredColumns.slice(0, 12);
        const more = summary.ignoredColumnCount - shown.length;
        lines.push(
          `  ${formatCount(summary.ignoredColumnCount)} ignored column${summary.ignoredColumnCount === 1 ? "" : "s"}: ${shown.join(", ")}${more > 0 ? ` and ${formatCount(more)} more` : ""} (use --map column=field to read them)`,
        );
      }
      if (summary.stopped)
        lines.push(`Stopped after row ${formatCount(summary.rows)}: run the same command to resume.`);
      io.out(`${lines.join("\n")}\n`);
    }
    return importExitCode(summary);
  } finally {
    release();
  }
}

/** 0: every row in; 3: some rows rejected and the rest in (documented, for scripts); 1: nothing in, or stopped. */
export function importExitCode(summary: ImportSummary): number {
  if (summary.stopped) return 1;
  if (summary.rejectedCount === 0) return 0;
  const taken = summary.accepted + summary.updated + summary.duplicates + summary.stale;
  return taken > 0 ? 3 : 1;
}

function delimiterFlag(value: string): string {
  const named: Record<string, string> = { tab: "\t", "\\t": "\t", comma: ",", semicolon: ";", pipe: "|" };
  const delimiter = named[value.toLowerCase()] ?? value;
  if (!(delimiter in DELIMITERS))
    throw new AppError("invalid_input", `--delimiter ${value} is not one Lift reads`, {
      hint: "use , ; tab or pipe",
    });
  return delimiter;
}

export const DEMO_HELP = `lift demo [--seed N] [--end YYYY-MM-DD] [--scale small|full] [--json]
lift demo --live [--url http://127.0.0.1:3000] [--visits N] [--seconds N]
Seeds the 90-day demo workspace (idempotent), or keeps sending live events to a running Lift through /v1/batch.
`;

export async function demoCommand(
  core: Core,
  args: string[],
  io: CliIo,
  defaultUrl: string,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seed: { type: "string" },
      end: { type: "string" },
      scale: { type: "string" },
      live: { type: "boolean" },
      url: { type: "string" },
      visits: { type: "string" },
      seconds: { type: "string" },
      json: { type: "boolean" },
    },
  });
  if (positionals.length > 0)
    throw new AppError("invalid_input", `lift demo takes no argument “${positionals[0]}”`, {
      hint: DEMO_HELP,
    });
  const seed = values.seed === undefined ? 42 : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new AppError("invalid_input", "--seed takes a whole number ≥ 0");
  if (values.end !== undefined && !isDay(values.end))
    throw new AppError("invalid_input", `--end ${values.end} is not a day (YYYY-MM-DD)`);
  const scale = values.scale ?? "full";
  if (scale !== "small" && scale !== "full") throw new AppError("invalid_input", "--scale is small or full");
  if (values.live)
    return liveDemo(core, io, {
      seed,
      url: values.url ?? defaultUrl,
      visits: Number(values.visits ?? 3),
      seconds: values.seconds ? Number(values.seconds) : null,
    });

  const options = demoOptionsFor(core.now(), core.settings.timeZone, {
    seed,
    scale,
    ...(values.end ? { end: values.end } : {}),
  });
  const bar = progressBar(io, "Seeding demo");
  const summary = await core.seedDemo(options, (done, total) => bar.update(done, total));
  bar.done();
  if (values.json) io.out(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    const added = Object.entries(summary.results)
      .map(([kind, result]) => `${formatCount(result.accepted)} ${kind}`)
      .join(", ");
    const already = summary.results["events"]?.duplicates ?? 0;
    io.out(
      `Demo workspace (seed ${seed}, ${scale}) for ${summary.start} … ${options.end} in ${core.settings.timeZone}:\n` +
        `  added ${added}` +
        (already > 0 ? ` (${formatCount(already)} events were already there)` : "") +
        "\nTry: lift kpi --by channel --chart kpi.png\n",
    );
  }
  return 0;
}

/** Sends a few visits' events every second through the real /v1/batch until stopped. */
async function liveDemo(
  core: Core,
  io: CliIo,
  options: { seed: number; url: string; visits: number; seconds: number | null },
): Promise<number> {
  if (!Number.isFinite(options.visits) || options.visits < 1 || options.visits > 1000) {
    throw new AppError("invalid_input", "--visits takes a number from 1 to 1000");
  }
  const { key, info } = await core.keys.create(`demo live ${new Date(core.now()).toISOString()}`);
  // The run's own id prefix: live events and orders add to the history and never rewrite it.
  const visits = core.liveVisits(
    demoOptionsFor(core.now(), core.settings.timeZone, {
      seed: options.seed,
      scale: "small",
      idPrefix: `live${core.now().toString(36)}`,
    }),
  );
  const auth = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
  let stop = false;
  const release = io.onInterrupt(() => {
    stop = true;
  });
  const started = Date.now();
  let sent = 0;
  io.out(`Sending live demo events to ${options.url}/v1/batch (Ctrl-C to stop)…\n`);
  // The parts that show something live (the social feeds the running Lift pulls), stopped with the demo.
  const live = await core.startLiveDemoParts();
  for (const part of live) for (const line of part.lines) io.out(`${line}\n`);
  try {
    while (!stop && (options.seconds === null || Date.now() - started < options.seconds * 1000)) {
      const batch = visits(Date.now(), options.visits);
      let response: Response;
      try {
        response = await fetch(`${options.url}/v1/batch`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: auth },
          body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
        });
      } catch (error) {
        throw new AppError("unsupported", `Cannot reach Lift at ${options.url}`, {
          hint: "start it with `npm start` first",
          cause: error,
        });
      }
      if (!response.ok) {
        throw new AppError(
          "internal",
          `Lift answered ${response.status} to /v1/batch: ${await response.text()}`,
        );
      }
      sent += batch.length;
      if (io.isTTY) io.err(`\r${formatCount(sent)} events sent`);
      await new Promise((done) => setTimeout(done, 1000));
    }
  } finally {
    release();
    for (const part of live) await part.stop();
    // The key was made for this run only.
    await core.keys.revoke(String(info.id));
  }
  io.out(`\n${formatCount(sent)} events sent.\n`);
  return 0;
}
