import { describe, expect, it } from "vitest";
import { labelOf, scoreSocial } from "../../../../../analytics/capabilities/social/sentiment/score.ts";

const score = (text: string, words?: Map<string, number>) => scoreSocial(text, words).score;

describe("sentiment for social and review text", () => {
  it("turns what follows a negation within three words, and only that", () => {
    expect(score("good")).toBeGreaterThan(0);
    expect(score("not good")).toBeLessThan(0);
    expect(score("don't love it")).toBeLessThan(0);
    expect(score("never been so happy")).toBeLessThan(score("been so happy"));
    expect(score("not bad at all")).toBeGreaterThan(0);
    // A clause break ends the negation's reach.
    expect(score("not today. great boots")).toBeGreaterThan(0);
  });

  it("weighs the clause after “but” more than the one before", () => {
    expect(score("I love the colour but the zipper broke")).toBeLessThan(0);
    expect(score("the zipper broke but I love the colour")).toBeGreaterThan(0);
  });

  it("reads boosters, dampeners, ALL CAPS, exclamation marks and elongated words", () => {
    expect(score("very good")).toBeGreaterThan(score("good"));
    expect(score("slightly good")).toBeLessThan(score("good"));
    expect(score("this is GOOD")).toBeGreaterThan(score("this is good"));
    expect(score("good!!!")).toBeGreaterThan(score("good"));
    expect(score("soooo goooood")).toBeGreaterThan(score("so good"));
    // A text shouted throughout is not made more intense word by word.
    expect(score("THIS IS GOOD")).toBe(score("this is good"));
  });

  it("reads emoji and emoticons", () => {
    expect(score("new boots 😍")).toBeGreaterThan(0);
    expect(score("new boots :(")).toBeLessThan(0);
    expect(score("delivery came <3")).toBeGreaterThan(0);
  });

  it("knows the words of shopping and delivery", () => {
    for (const text of [
      "my order is late",
      "the parcel arrived damaged",
      "total scam",
      "never arrived",
      "waste of money",
      "asked for a refund",
    ])
      expect(score(text), text).toBeLessThan(0);
    for (const text of ["fast shipping", "highly recommend", "works great", "five stars"])
      expect(score(text), text).toBeGreaterThan(0);
  });

  it("lets the workspace's own words win over the built-in ones", () => {
    expect(score("another backorder")).toBe(0);
    expect(score("another backorder", new Map([["backorder", -3]]))).toBeLessThan(0);
    expect(score("sick jacket")).toBeLessThan(0);
    expect(score("sick jacket", new Map([["sick", 3]]))).toBeGreaterThan(0);
  });

  it("scores within −1…1, labelled neutral inside ±0.05", () => {
    for (const text of [
      "",
      "the",
      "terrible awful horrible worst scam broken",
      "amazing perfect love best awesome",
    ]) {
      const s = score(text);
      expect(s).toBeGreaterThanOrEqual(-1);
      expect(s).toBeLessThanOrEqual(1);
    }
    expect(labelOf(0.049)).toBe("neutral");
    expect(labelOf(0.05)).toBe("positive");
    expect(labelOf(-0.05)).toBe("negative");
  });
});

describe("questions and themes", () => {
  it("does not take a question for praise, and keeps a complaint asked as a question", () => {
    expect(scoreSocial("Is the beanie true to size?").label).toBe("neutral");
    expect(scoreSocial("Does the rain shell really keep you dry?").label).toBe("neutral");
    expect(scoreSocial("Why is shipping so slow and awful?").label).toBe("negative");
    expect(scoreSocial("Love the beanie, true to size!").label).toBe("positive");
  });
});
