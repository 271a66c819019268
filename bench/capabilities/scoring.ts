import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { trainModel } from "../../analytics/capabilities/predict/scoring.ts";
import type { BenchEntry } from "../common.ts";

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

/**
 * Lead scoring on a public labelled table: UCI Bank Marketing (bank-full, 45,211 calls, without
 * `duration`, which is only known after the call; bench/data/bank/README.md): Lift's holdout AUC ÷
 * scikit-learn's LogisticRegression on the same stratified split (the goal: ≥ 1).
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
    return [
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
