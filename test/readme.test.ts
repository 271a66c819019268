import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CAPABILITIES } from "../analytics/capabilities/index.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("shows the worked example of a capability exactly as the file is", () => {
    const file = readFileSync(new URL("../analytics/capabilities/alerts/index.ts", import.meta.url), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${file}\`\`\``);
  });

  it("names every capability of the list", () => {
    const line = /capabilities\.ts: the one list — (.*)/.exec(readme)![1]!;
    expect(line.split(" · ")).toEqual(CAPABILITIES.map((c) => c.name));
  });
});
