import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { languageOf, loadLanguageDetector } from "../../analytics/capabilities/social/language.ts";
import { plantedSeries } from "../../analytics/capabilities/social/planted.ts";
import { scoreSocial } from "../../analytics/capabilities/social/sentiment/score.ts";
import { detectSpikes, evaluateSpikes } from "../../analytics/capabilities/social/spikes.ts";
import type { BenchEntry, BenchResult } from "../common.ts";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The shared reference sentences (see ../shared/data/README.md), beside the repository. */
const SENTENCES = join(process.cwd(), "..", "shared", "data", "sentiment", "uci-labelled-sentences.jsonl");

/**
 * Sign accuracy per source on the UCI labelled sentences (score > 0 counts as
 * positive, 0 as negative) against plain `sentiment` on the same lines in the
 * same run; posts scored per second on one core, language detection included;
 * and the spike detector's precision, recall and delay on planted anomalies.
 */
export const socialBench: BenchEntry = {
  name: "social",
  async run(context) {
    const results: BenchResult[] = [];
    await loadLanguageDetector();
    if (existsSync(SENTENCES)) {
      const lines = readFileSync(SENTENCES, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { source: string; text: string; label: number });
      const Sentiment = createRequire(import.meta.url)("sentiment") as new () => {
        analyze(text: string): { score: number };
      };
      const plain = new Sentiment();
      const bySource = new Map<string, { n: number; plain: number; lift: number }>();
      for (const { source, text, label } of lines) {
        const s = bySource.get(source) ?? { n: 0, plain: 0, lift: 0 };
        s.n++;
        if ((plain.analyze(text).score > 0 ? 1 : 0) === label) s.plain++;
        if ((scoreSocial(text).score > 0 ? 1 : 0) === label) s.lift++;
        bySource.set(source, s);
      }
      for (const [source, s] of bySource)
        results.push({
          name: `sentiment sign accuracy, ${source} (${s.n} UCI sentences)`,
          ratio: s.lift / s.plain,
          goal: "> plain sentiment",
          detail: `Lift ${fmt(s.lift / s.n, 3)} ÷ plain sentiment ${fmt(s.plain / s.n, 3)}`,
        });
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
    return results;
  },
};
