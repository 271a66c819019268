import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runLift } from "../../../support/cli.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const SAMPLE = join(import.meta.dirname, "../../../fixtures/predict/bank-sample.csv");

describe("lift predict fit and score", () => {
  it("trains on a labelled CSV, reports the holdout, keeps the model and scores new rows", async () => {
    t = emptyDb();
    const fit = await runLift(t, ["predict", "fit", SAMPLE, "--target", "y", "--name", "bank", "--json"]);
    expect(fit.code).toBe(0);
    const report = JSON.parse(fit.out);
    expect(report.data).toMatchObject({ schema: "model/1", name: "bank", target: "y", positive: "yes" });
    // A fifth of each outcome held out: 36 of the 182 yes, 265 of the 1,326 no.
    expect(report.data.n_test).toBe(301);
    expect(report.data.n_train).toBe(1207);
    expect(report.data.auc).toBeGreaterThan(0.65);
    expect(report.data.brier).toBeLessThan(report.data.brier_baseline);
    expect(report.data.lift_by_decile).toHaveLength(10);
    expect(report.details.join(" ")).toMatch(/What moves the odds most: /);

    const rows = readFileSync(SAMPLE, "utf8").trim().split("\n").slice(0, 11);
    const file = join(t.dir, "new.csv");
    writeFileSync(file, `${rows.join("\n")}\n`);
    const scored = await runLift(t, ["predict", "score", file, "--model", "bank"]);
    expect(scored.code).toBe(0);
    const lines = scored.out.trim().split("\n");
    expect(lines[0]).toBe(`${rows[0]},probability`);
    expect(lines).toHaveLength(11);
    for (const line of lines.slice(1)) {
      const p = Number(line.split(",").at(-1));
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
  });

  it("says what is wrong with a file it cannot learn from, and exits non-zero", async () => {
    t = emptyDb();
    const missing = await runLift(t, ["predict", "fit", SAMPLE, "--target", "converted"]);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/There is no column “converted”/);
    const months = await runLift(t, ["predict", "fit", SAMPLE, "--target", "month"]);
    expect(months.err).toMatch(/month has 12 values .*say which one is the outcome/);
    const one = join(t.dir, "one.csv");
    writeFileSync(one, "a,y\n1,yes\n2,yes\n");
    const single = await runLift(t, ["predict", "fit", one, "--target", "y"]);
    expect(single.err).toMatch(/y is always yes: a model needs rows with the outcome and rows without it/);
    const unknown = await runLift(t, ["predict", "score", SAMPLE, "--model", "nope"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/There is no model “nope”/);
  });
});
