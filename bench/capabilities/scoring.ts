import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { BUY_FEATURES, buyFeatures } from "../../analytics/capabilities/predict/buy.ts";
import { customerBase, epochDay } from "../../analytics/capabilities/predict/clv.ts";
import { type Table, trainModel } from "../../analytics/capabilities/predict/scoring.ts";
import { addDays } from "../../analytics/platform/time/zone.ts";
import { purchaseHistory } from "../../db/predict/queries.ts";
import type { BenchContext, BenchEntry } from "../common.ts";

const BANK = join(import.meta.dirname, "..", "data", "bank", "bank-full.csv.gz");

/** scikit-learn on the very split Lift used: one-hot categories, StandardScaler fitted on the training part, C = 1. */
const SKLEARN = `
import json, os, time
import numpy as np, pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.metrics import roc_auc_score, brier_score_loss
df = pd.read_csv(os.environ["CSV"])
split = json.load(open(os.environ["SPLIT"]))
y = (df.pop("y") == "yes").astype(int).to_numpy()
cats = [c for c in df.columns if df[c].dtype == object]
nums = [c for c in df.columns if c not in cats]
pipe = make_pipeline(ColumnTransformer([("c", OneHotEncoder(handle_unknown="ignore"), cats), ("n", StandardScaler(), nums)]),
                     LogisticRegression(C=1.0, max_iter=5000))
tr, te = split["train"], split["test"]
t = time.time(); pipe.fit(df.iloc[tr], y[tr]); ms = (time.time() - t) * 1000
p = pipe.predict_proba(df.iloc[te])[:, 1]
print(json.dumps({"auc": roc_auc_score(y[te], p), "brier": brier_score_loss(y[te], p), "ms": ms}))
`;

/** The full demo's customers as of 30 days before its end, with whether they bought in the 30 days after. */
async function demoPurchases(context: BenchContext): Promise<{ table: Table; csv: string }> {
  const platform = context.freshPlatform("scoring");
  const end = addDays(platform.today(), -1);
  await platform.seedDemo({ seed: 42, end, scale: "full", timeZone: platform.settings.timeZone });
  const history = await purchaseHistory(platform.contextFor("predict").tables, end);
  const base = customerBase(history, epochDay(end) - 30);
  const header = ["recency", "purchase_days", "tenure", "spend_log", "recent30", "recent90", "bought"];
  const rows = base.map((c) => [...buyFeatures(c).map(String), c.next30 > 0 ? "1" : "0"]);
  return { table: { header, rows }, csv: `${[header, ...rows].map((r) => r.join(",")).join("\n")}\n` };
}

/**
 * Lead scoring on a public labelled table: UCI Bank Marketing (bank-full, 45,211 calls, without
 * `duration`, which is only known after the call; bench/data/bank/README.md): Lift's holdout AUC ÷
 * scikit-learn's LogisticRegression on the same stratified split (the goal: ≥ 1), and the
 * same on the full demo's 30-day purchase data.
 */
export const scoringBench: BenchEntry = {
  name: "scoring",
  async run(context) {
    const text = gunzipSync(readFileSync(BANK)).toString("utf8");
    const [header, ...rows] = parse(text) as string[][];
    const t = performance.now();
    const { model, split } = trainModel(
      { header: header!, rows },
      { target: "y", name: "bank", now: Date.now() },
    );
    const ms = performance.now() - t;
    const dir = mkdtempSync(join(tmpdir(), "lift-bench-bank-"));
    writeFileSync(join(dir, "bank.csv"), text);
    writeFileSync(join(dir, "split.json"), JSON.stringify(split));
    const out = await context.python(SKLEARN, { CSV: join(dir, "bank.csv"), SPLIT: join(dir, "split.json") });
    const sk = out ? (JSON.parse(out) as { auc: number; brier: number; ms: number }) : null;
    const demo = await demoPurchases(context);
    writeFileSync(join(dir, "demo.csv"), demo.csv);
    const demoFit = trainModel(demo.table, {
      target: "bought",
      positive: "1",
      name: "demo",
      now: Date.now(),
    });
    writeFileSync(join(dir, "demo-split.json"), JSON.stringify(demoFit.split));
    const demoOut = await context.python(SKLEARN.replace('df.pop("y") == "yes"', 'df.pop("bought") == 1'), {
      CSV: join(dir, "demo.csv"),
      SPLIT: join(dir, "demo-split.json"),
    });
    const skDemo = demoOut ? (JSON.parse(demoOut) as { auc: number; brier: number }) : null;
    return [
      {
        name: `30-day purchase AUC ÷ scikit-learn LogisticRegression (the full demo's customers of 30 days ago, ${demoFit.model.metrics.nTest} held out)`,
        ratio: skDemo ? demoFit.model.metrics.auc / skDemo.auc : Number.NaN,
        goal: "≥ 1",
        detail: skDemo
          ? `Lift ${demoFit.model.metrics.auc.toFixed(4)} (Brier ${demoFit.model.metrics.brier.toFixed(4)}) ÷ scikit-learn ${skDemo.auc.toFixed(4)} (Brier ${skDemo.brier.toFixed(4)}); features: ${BUY_FEATURES.join(", ")}`
          : "scikit-learn not installed",
      },
      {
        name: `lead scoring AUC ÷ scikit-learn LogisticRegression (UCI Bank Marketing, ${model.metrics.nTest} rows held out)`,
        ratio: sk ? model.metrics.auc / sk.auc : Number.NaN,
        goal: "≥ 1",
        detail: sk
          ? `Lift ${model.metrics.auc.toFixed(4)} (Brier ${model.metrics.brier.toFixed(4)}) ÷ scikit-learn ${sk.auc.toFixed(4)} (Brier ${sk.brier.toFixed(4)}); published holdout AUC ≈ 0.77 for logistic regression`
          : "scikit-learn not installed (apt install python3-sklearn python3-pandas)",
      },
      {
        name: "lead scoring fit time ÷ scikit-learn's",
        ratio: sk ? ms / sk.ms : Number.NaN,
        goal: "informative",
        detail: `Lift ${(ms / 1000).toFixed(2)} s (holdout fit and the refit on every row, ${model.features.length} features) ÷ scikit-learn ${sk ? (sk.ms / 1000).toFixed(2) : "?"} s (one fit)`,
      },
    ];
  },
};
