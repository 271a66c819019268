import { fileURLToPath } from "node:url";
import {
  CORPUS_TODAY,
  CORPUS_VOCABULARY,
  readCorpus,
  score,
} from "../../analytics/capabilities/ask/corpus.ts";
import { explain } from "../../analytics/capabilities/ask/explain.ts";
import { understandingOf } from "../../analytics/capabilities/ask/run.ts";
import { understand } from "../../analytics/capabilities/ask/understand.ts";
import { readKpiQuestion } from "../../analytics/platform/metrics/grammar.ts";
import type { KpiQuery } from "../../analytics/platform/metrics/kpis.ts";
import { addDays } from "../../analytics/platform/time/zone.ts";
import type { BenchEntry } from "../common.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/ask/${name}`, import.meta.url));

/**
 * How many of the evaluation corpus's questions the offline path reads right
 * (tuning part and held-out part, goal ≥ 90 % each), and what reading a
 * question costs against the bare KPI grammar on the same questions.
 */
export const askBench: BenchEntry = {
  name: "ask",
  async run({ medianMs, freshPlatform }) {
    const platform = freshPlatform("ask");
    // What the capabilities add to ask (experiments', segments', predictions' words), as Slack reads them.
    const understanding = understandingOf(platform.contextFor("ask"));
    const read = (q: string) => understand(q, CORPUS_VOCABULARY, CORPUS_TODAY, understanding);
    const parts = [
      ["tuning", readCorpus(fixture("corpus.tsv"))],
      ["held-out", readCorpus(fixture("held-out.tsv"))],
    ] as const;
    const results = parts.map(([name, items]) => {
      const s = score(items, read, CORPUS_TODAY, understanding.grammar);
      return {
        name: `ask offline: corpus questions read right (${name}, ${s.total})`,
        ratio: s.right / s.total / 0.9,
        goal: "≥ 1 (90 %)",
        detail: `${s.right}/${s.total} = ${((100 * s.right) / s.total).toFixed(1)} % ÷ 90 %${s.misses.length > 0 ? `; missed: ${s.misses.map((m) => `“${m.question}”`).join(", ")}` : ""}`,
      };
    });
    const questions = parts.flatMap(([, items]) => items.map((i) => i.question));
    const understandMs = await medianMs(5, () => {
      for (const q of questions) read(q);
    });
    const grammarMs = await medianMs(5, () => {
      for (const q of questions) {
        try {
          readKpiQuestion(q, CORPUS_TODAY);
        } catch {
          // Most of them are not grammar: the cost of trying is the baseline.
        }
      }
    });
    results.push({
      name: `ask offline: reading a question (${questions.length} questions)`,
      ratio: understandMs / grammarMs,
      goal: "—",
      detail: `${((understandMs * 1000) / questions.length).toFixed(0)} µs a question ÷ KPI grammar alone ${((grammarMs * 1000) / questions.length).toFixed(0)} µs`,
    });
    // Why on the full demo workspace (90 days, ~230k events): the explanation's queries (the change,
    // drivers by channel and campaign, 8 earlier windows, context) against the plain KPI answer.
    const end = addDays(platform.today(), -1);
    await platform.seedDemo({ seed: 42, end, scale: "full", timeZone: platform.settings.timeZone });
    const query: KpiQuery = {
      metrics: ["revenue"],
      period: { kind: "last_days", n: 7 },
      compare: "previous",
      by: "none",
      filter: {},
    };
    const whyMs = await medianMs(5, () => explain(platform, query));
    const kpiMs = await medianMs(5, () => platform.kpis(query));
    results.push({
      name: "why revenue last 7 days, full demo workspace (drivers, 8 earlier weeks, context)",
      ratio: whyMs / kpiMs,
      goal: "< 2 s",
      detail: `${whyMs.toFixed(1)} ms ÷ the plain KPI answer ${kpiMs.toFixed(1)} ms`,
    });
    return results;
  },
};
