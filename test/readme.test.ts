import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CAPABILITIES } from "../analytics/capabilities/index.ts";
import { settingNames } from "../analytics/platform/contract/settings.ts";
import { schema } from "../env.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("shows the worked example of a capability exactly as the file is", () => {
    const file = readFileSync(new URL("../analytics/capabilities/alerts/index.ts", import.meta.url), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${file}\`\`\``);
  });

  it("names every capability of the list", () => {
    const line = /the one list —\n\s*│\s*(.*)/.exec(readme)![1]!.trim();
    expect(line.split(" · ")).toEqual(CAPABILITIES.map((c) => c.name));
  });

  it("lists every setting the platform and each capability read in Configuration", () => {
    const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Definitions"));
    const names = [
      ...settingNames(schema),
      ...CAPABILITIES.flatMap((c) => (c.settings ? settingNames(c.settings) : [])),
    ];
    expect(names.filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  });
});
