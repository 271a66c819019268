import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { AppError } from "../../platform/base/errors.ts";
import type { CliVerb } from "../../platform/contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import { readSeriesPoints } from "../../platform/ingest/index.ts";
import { csvCell } from "../../platform/reports/csv.ts";
import { languageOf, loadLanguageDetector, SCORED_LANGUAGES } from "./language.ts";
import { labelOf, scoreSocial } from "./sentiment/score.ts";
import { detectSpikes } from "./spikes.ts";

async function readInput(
  path: string | undefined,
  readStdin: (() => Promise<string>) | undefined,
): Promise<string> {
  if (!path || path === "-") {
    if (!readStdin) throw new AppError("invalid_input", "Give a file, or - for standard input");
    return readStdin();
  }
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new AppError("not_found", `Cannot read ${path}`, { hint: "check the path", cause: error });
  }
}

/** `lift spikes FILE.csv`: any series (timestamp,value — NAB's format) in; each point's score and flag out. */
export const spikesVerb: CliVerb = {
  name: "spikes",
  summary: "flags spikes in any series (timestamp,value CSV) with Lift's detector",
  help: `lift spikes FILE.csv|- [--json]
    Reads a series with the columns timestamp,value (the Numenta Anomaly Benchmark's format; times
    without a zone are UTC) and prints each point's timestamp, value, score (0..1) and flag, as CSV
    (or JSON lines with --json). The detector is causal: a point's flag uses only the points before it.
`,
  async run(args, { io }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: "boolean" } },
    });
    const text = await readInput(positionals[0], io.readStdin);
    const points = readSeriesPoints(text, {
      time: ["timestamp"],
      value: ["value"],
      what: "timestamp and value",
    });
    const flagged = detectSpikes(points);
    if (values.json) {
      for (const [i, p] of flagged.entries())
        io.out(
          `${JSON.stringify({ timestamp: points[i]!.raw, value: p.value, score: Number(p.score.toFixed(4)), flag: p.flag })}\n`,
        );
    } else {
      io.out("timestamp,value,score,flag\n");
      for (const [i, p] of flagged.entries())
        io.out(`${[points[i]!.raw, p.value, p.score.toFixed(4), p.flag ? 1 : 0].map(csvCell).join(",")}\n`);
    }
    return { exitCode: 0 };
  },
};

/** `lift sentiment score FILE|-`: one text a line, or JSONL with a text field, scored as mentions are. */
export const sentimentVerb: CliVerb = {
  name: "sentiment",
  summary: "`lift sentiment score FILE|-` scores texts as Lift scores mentions",
  help: `lift sentiment score FILE|-      one text a line, or JSON lines with a "text" field, in;
                                  JSON lines {text, score, label, lang} out
lift sentiment [topic] [period]   the sentiment answer (as in Slack)
`,
  async run(args, { io }) {
    if (args[0] !== "score") {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { ...OUTPUT_FLAGS },
      });
      return { command: `sentiment ${positionals.join(" ")}`.trim(), output: outputFlags(values) };
    }
    const text = await readInput(args[1], io.readStdin);
    await loadLanguageDetector();
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === "") continue;
      let input = line;
      if (line.trimStart().startsWith("{")) {
        try {
          const parsed = JSON.parse(line) as { text?: unknown };
          if (typeof parsed.text === "string") input = parsed.text;
        } catch {
          // Not JSON after all: the line is the text.
        }
      }
      const lang = languageOf(input);
      const scored = SCORED_LANGUAGES.has(lang);
      const result = scoreSocial(input);
      io.out(
        `${JSON.stringify({ text: input, score: scored ? result.score : null, label: scored ? labelOf(result.score) : "unscored", lang })}\n`,
      );
    }
    return { exitCode: 0 };
  },
};
