import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { languageOf, loadLanguageDetector } from "../../analytics/capabilities/social/language.ts";
import { plantedSeries, sparsePlantedSeries } from "../../analytics/capabilities/social/planted.ts";
import { scoreSocial } from "../../analytics/capabilities/social/sentiment/score.ts";
import { detectSpikes, evaluateSpikes } from "../../analytics/capabilities/social/spikes.ts";
import type { BenchEntry, BenchResult } from "../common.ts";
import { type NabFile, nabScore } from "../nab-score.ts";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The shared reference sentences (see ../shared/data/README.md), beside the repository. */
const SENTENCES = join(process.cwd(), "..", "shared", "data", "sentiment", "uci-labelled-sentences.jsonl");

type Labelled = { text: string; positive: boolean };

/** Runs of flags that overlap no planted window (a false alarm each). */
function falseRuns(flags: boolean[], windows: { start: number; end: number }[]): number {
  let count = 0;
  for (let i = 0; i < flags.length; i++) {
    if (!flags[i]) continue;
    const start = i;
    while (flags[i + 1]) i++;
    if (!windows.some((w) => start <= w.end + 5 && i >= w.start)) count++;
  }
  return count;
}

/** Generated small-brand mention counts (≤ 0.2 a 5-minute bucket, daily season) with planted bursts. */
function sparseSpikes(seeds: number): BenchResult {
  let found = 0;
  let bursts = 0;
  let alarms = 0;
  let days = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const series = sparsePlantedSeries(seed);
    const flags = detectSpikes(series.points).map((p) => p.flag);
    found += evaluateSpikes(flags, series.windows).recall * series.windows.length;
    bursts += series.windows.length;
    alarms += falseRuns(flags, series.windows);
    days += series.points.length / 288 - 8;
  }
  const recall = found / bursts;
  return {
    name: `spike detection on ${seeds} sparse count series (small brand, bursts of 5+ posts in 15 min)`,
    ratio: recall / 0.9,
    goal: "recall ≥ 0.9, ≤ 1 false flag a day",
    detail: `recall ${fmt(recall, 3)} of ${fmt(bursts)} bursts, ${fmt(alarms / days, 3)} false flags a day`,
  };
}

/**
 * NAB's real Twitter mention volumes (10 series, 5-minute counts, 0.4 to 86 a bucket), scored as
 * NAB scores (standard profile, bench/nab-score.ts), against the robust z alone in the same run.
 * The data are NAB's (numenta/NAB, data/realTweets and labels/combined_windows.json), read from
 * bench/.cache/nab when present.
 */
function nabTweets(cacheDir: string): BenchResult | null {
  const dir = join(cacheDir, "nab");
  if (!existsSync(join(dir, "combined_windows.json")))
    return {
      name: "spike detection on NAB's real Twitter volumes: skipped",
      ratio: Number.NaN,
      goal: "> robust z",
      detail:
        "copy numenta/NAB's data/realTweets/*.csv and labels/combined_windows.json into bench/.cache/nab",
    };
  const labels = JSON.parse(readFileSync(join(dir, "combined_windows.json"), "utf8")) as Record<
    string,
    [string, string][]
  >;
  const lift: NabFile[] = [];
  const z: NabFile[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".csv"))) {
    const rows = readFileSync(join(dir, file), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => {
        const [time = "", value = "0"] = line.split(",");
        return { at: Date.parse(`${time.replace(" ", "T")}Z`), value: Number(value), time };
      });
    const row = new Map(rows.map((r, i) => [r.time, i]));
    const windows = (labels[`realTweets/${file}`] ?? []).map(([a, b]) => ({
      start: row.get(a.slice(0, 19))!,
      end: row.get(b.slice(0, 19))!,
    }));
    // An alarm is the first point of a flagged run (what an alert would say).
    const alarms = (flags: boolean[]) => flags.map((f, i) => f && !flags[i - 1]);
    lift.push({ detections: alarms(detectSpikes(rows).map((p) => p.flag)), windows });
    // The same series made non-integral goes to the robust z: the detector before the count model.
    const shifted = rows.map((r) => ({ ...r, value: r.value + 0.5 }));
    z.push({ detections: alarms(detectSpikes(shifted).map((p) => p.flag)), windows });
  }
  const ours = nabScore(lift);
  const before = nabScore(z);
  return {
    name: `spike detection on NAB's real Twitter volumes (${lift.length} series), NAB standard score`,
    ratio: (ours - before) / Math.abs(before),
    goal: "> robust z",
    detail: `Lift ${fmt(ours, 1)} against the robust z alone ${fmt(before, 1)} (NAB: 0 finds nothing, 100 finds every window at its start)`,
  };
}

/**
 * The human-labelled sets: the UCI sentences per source (reviews), VADER's 4,200 human-rated
 * tweets (Hutto & Gilbert 2014; mean rating ≠ 0) and Sentiment140's hand-labelled test tweets
 * (Go, Bhayani & Huang 2009; positive and negative, neutral left out), in bench/data/.
 */
function labelledSets(uci: { source: string; text: string; label: number }[]) {
  const sets: { name: string; unit: string; items: Labelled[] }[] = [];
  for (const source of [...new Set(uci.map((l) => l.source))])
    sets.push({
      name: source,
      unit: "UCI sentences",
      items: uci.filter((l) => l.source === source).map((l) => ({ text: l.text, positive: l.label === 1 })),
    });
  const data = (file: string) =>
    readFileSync(join(import.meta.dirname, "..", "data", file), "utf8")
      .trim()
      .split("\n");
  sets.push({
    name: "VADER's human-rated tweets",
    unit: "tweets",
    items: data("vader-tweets.tsv")
      .map((line) => line.split("\t"))
      .filter(([, rating]) => Number(rating) !== 0)
      .map(([, rating, ...text]) => ({ text: text.join("\t"), positive: Number(rating) > 0 })),
  });
  sets.push({
    name: "Sentiment140 hand-labelled test",
    unit: "tweets",
    items: data("sentiment140-test.csv")
      .map((line) => /^(\d),(.*)$/.exec(line)!)
      .filter((m) => m[1] !== "2")
      .map((m) => ({
        text: m[2]!.startsWith('"') ? m[2]!.slice(1, -1).replace(/""/g, '"') : m[2]!,
        positive: m[1] === "4",
      })),
  });
  return sets;
}

/** Share of items whose sign each scorer gets right (score > 0 is positive; 0 and below negative). */
function signAgreement(items: Labelled[]): { lift: number; vader: number; plain: number } {
  const require = createRequire(import.meta.url);
  const vader = require("vader-sentiment") as {
    SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } };
  };
  const Sentiment = require("sentiment") as new () => { analyze(text: string): { score: number } };
  const plain = new Sentiment();
  let lift = 0;
  let v = 0;
  let p = 0;
  for (const { text, positive } of items) {
    if (scoreSocial(text).score > 0 === positive) lift++;
    if (vader.SentimentIntensityAnalyzer.polarity_scores(text).compound > 0 === positive) v++;
    if (plain.analyze(text).score > 0 === positive) p++;
  }
  return { lift: lift / items.length, vader: v / items.length, plain: p / items.length };
}

/**
 * Sign agreement with human labels on review sentences and tweets against VADER and plain
 * `sentiment` in the same run (score > 0 counts as
 * positive, 0 as negative) against plain `sentiment` on the same lines in the
 * same run; posts scored per second on one core, language detection included;
 * and the spike detector's precision, recall and delay on planted anomalies.
 */
export const socialBench: BenchEntry = {
  name: "social",
  async run(context) {
    const results: BenchResult[] = [];
    await loadLanguageDetector();
    const lines = existsSync(SENTENCES)
      ? readFileSync(SENTENCES, "utf8")
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as { source: string; text: string; label: number })
      : [];
    for (const set of labelledSets(lines)) {
      const s = signAgreement(set.items);
      results.push({
        name: `sentiment sign agreement, ${set.name} (${fmt(set.items.length)} ${set.unit})`,
        ratio: s.lift / s.vader,
        goal: "≥ VADER",
        detail: `Lift ${fmt(s.lift, 3)} ÷ VADER ${fmt(s.vader, 3)} (vader-sentiment 1.1.3, same run); plain sentiment ${fmt(s.plain, 3)}`,
      });
    }
    if (lines.length > 0) {
      const texts = lines.map((l) => l.text);
      const rounds = context.quick ? 10 : 60;
      const started = performance.now();
      for (let r = 0; r < rounds; r++)
        for (const text of texts) {
          languageOf(text);
          scoreSocial(text);
        }
      const rate = (rounds * texts.length) / ((performance.now() - started) / 1000);
      results.push({
        name: "posts scored per second, one core, language detection included",
        ratio: rate / 50_000,
        goal: "≥ 50,000/s",
        detail: `${fmt(rate)} posts/s ÷ 50,000 (${fmt(rounds * texts.length)} posts)`,
      });
    } else {
      results.push({
        name: "sentiment sign accuracy (UCI sentences)",
        ratio: Number.NaN,
        goal: "> plain sentiment",
        detail: `skipped: ${SENTENCES} is not here (it ships in ../shared/data)`,
      });
    }
    let precision = 0;
    let recall = 0;
    const delays: number[] = [];
    const series = context.quick ? 10 : 30;
    for (let seed = 1; seed <= series; seed++) {
      const planted = plantedSeries(seed);
      const scored = evaluateSpikes(
        detectSpikes(planted.points).map((p) => p.flag),
        planted.windows,
      );
      precision += scored.precision / series;
      recall += scored.recall / series;
      delays.push(scored.medianDelay);
    }
    delays.sort((a, b) => a - b);
    const delay = delays[delays.length >> 1]!;
    results.push({
      name: `spike detection on ${series} seasonal series with planted bursts, shifts and drifts`,
      ratio: Math.min(precision, recall) / 0.8,
      goal: "precision, recall ≥ 0.8; delay ≤ 2",
      detail: `precision ${fmt(precision, 3)}, recall ${fmt(recall, 3)}, median delay ${fmt(delay, 1)} points`,
    });
    results.push(sparseSpikes(context.quick ? 10 : 30));
    const nab = nabTweets(context.cacheDir);
    if (nab) results.push(nab);
    return results;
  },
};
