import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CORPUS_TODAY,
  CORPUS_VOCABULARY,
  readCorpus,
  score,
} from "../../../../analytics/capabilities/ask/corpus.ts";
import { understandingOf } from "../../../../analytics/capabilities/ask/run.ts";
import { understand } from "../../../../analytics/capabilities/ask/understand.ts";
import { memoryPlatform } from "../../../support/db.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/ask/${name}`, import.meta.url));
// Every capability's vocabulary, as ask reads it on a platform with the real capability list.
const understanding = understandingOf(memoryPlatform().contextFor("ask"));
const read = (q: string) => understand(q, CORPUS_VOCABULARY, CORPUS_TODAY, understanding);

describe("the ask corpus, read without a model", () => {
  const tuning = readCorpus(fixture("corpus.tsv"));
  const heldOut = readCorpus(fixture("held-out.tsv"));

  const mustNotMislead = readCorpus(fixture("must-not-mislead.tsv"));

  it("never misleads: requests it cannot do are refused, actions are confirmed, other questions are not swapped", () => {
    const s = score(mustNotMislead, read, CORPUS_TODAY, understanding.grammar);
    expect(s.misleading, JSON.stringify(s.misses, null, 1)).toBe(0);
    expect(s.right / s.total, JSON.stringify(s.misses, null, 1)).toBeGreaterThanOrEqual(0.95);
  });

  it("has at least 250 questions to tune on and 80 held out, none in both", () => {
    expect(tuning.length).toBeGreaterThanOrEqual(250);
    expect(heldOut.length).toBeGreaterThanOrEqual(80);
    const seen = new Set(tuning.map((i) => i.question.toLowerCase()));
    expect(heldOut.filter((i) => seen.has(i.question.toLowerCase()))).toEqual([]);
  });

  it.each([
    ["tuning", tuning],
    ["held-out", heldOut],
  ])("reads at least 90 %% of the %s part right", (_, items) => {
    const s = score(items, read, CORPUS_TODAY, understanding.grammar);
    expect(s.right / s.total, JSON.stringify(s.misses, null, 1)).toBeGreaterThanOrEqual(0.9);
    expect(s.misleading, JSON.stringify(s.misses, null, 1)).toBe(0);
  });

  it("answers the questions the issue quotes", () => {
    const command = (q: string) => {
      const r = read(q);
      return r.kind === "command" ? r.command : r.kind;
    };
    expect(command("how much revenue did we make yesterday?")).toBe("kpi revenue yesterday");
    expect(command("top 5 campaigns by ROAS last 30 days")).toBe("kpi roas last 30 days by campaign top 5");
    expect(command("is paid search down?")).toBe("why revenue last 7 days for paid search");
    expect(command("compare november with october revenue")).toBe(
      "kpi revenue 2026-11-01..2026-11-30 vs 2026-10-01..2026-10-31",
    );
  });

  it("says which typo it corrected and which reading it chose", () => {
    const r = read("revnue by chanel yesterday");
    expect(r).toMatchObject({ kind: "command", command: "kpi revenue yesterday by channel" });
    expect(r.notes).toEqual(["read “revnue” as revenue", "read “chanel” as channel"]);
    expect(read("new customers this week").notes[0]).toMatch(/read “new customers” as signups/);
  });

  it("reads why anywhere in a question, with a campaign named in words", () => {
    const command = (q: string) => {
      const r = read(q);
      return r.kind === "command" ? r.command : r.kind;
    };
    expect(command("any idea why conversions fell yesterday")).toBe("why orders yesterday");
    expect(command("did the retargeting campaign get worse last month")).toBe(
      'why revenue last month campaign "social-retarget"',
    );
    expect(command("why are we getting fewer signups")).toBe("why signups last 7 days");
  });

  it("names metrics Lift does not have, with what it can answer instead", () => {
    expect(read("what's our bounce rate last month?")).toMatchObject({
      kind: "unavailable",
      metric: "bounce rate",
      instead: expect.arrayContaining(["kpi conversion rate last 30 days by channel"]),
    });
  });

  it("offers readings when it cannot place a word, and does not guess at questions about something else", () => {
    // Two channels side by side are rows of the table by channel, and the answer says so.
    expect(read("revenue for paid social vs email")).toMatchObject({
      kind: "command",
      command: "kpi revenue last 30 days by channel",
      notes: ["compared Paid social and Email as rows of the table by channel"],
    });
    expect(read("what's the weather like in berlin")).toMatchObject({ kind: "unknown" });
    // A word after "campaign" that names no campaign of the workspace is not taken for one.
    expect(read("which campaign is wasting money")).toMatchObject({
      kind: "unsure",
      readings: ["kpi revenue last 30 days by campaign", "kpi revenue last 30 days"],
    });
  });
});
