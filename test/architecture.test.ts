import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CAPABILITIES } from "../analytics/capabilities.ts";
import { importsOf, specifiers, violations } from "./support/architecture.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const folders = CAPABILITIES.map((c) => c.name);
const tree = () => importsOf(root);

describe("architecture", () => {
  it("reads static, re-exported and dynamic imports", () => {
    expect(
      specifiers(`import { a } from "./a.ts";\nimport type { B } from "../b.ts";\nexport { c } from "./c.ts";
import "./side.ts";\nconst d = await import("./d.ts");\nimport {\n  e,\n  f,\n} from "./ef.ts";`),
    ).toEqual(["./a.ts", "../b.ts", "./c.ts", "./ef.ts", "./side.ts", "./d.ts"]);
  });

  it("every import of the tree goes the way ARCHITECTURE.md draws it", () => {
    const imports = tree();
    expect(imports.size).toBeGreaterThan(150);
    expect(violations(imports, folders)).toEqual([]);
  });

  it("fails when an edge imports another edge", () => {
    const imports = tree();
    imports.set("bot/console/routes.ts", [...(imports.get("bot/console/routes.ts") ?? []), "api/app.ts"]);
    expect(violations(imports, folders)).toEqual([
      "bot/console/routes.ts → api/app.ts: an edge imports another edge",
    ]);
  });

  it("fails on each other wrong direction", () => {
    const one = (file: string, target: string) => violations(new Map([[file, [target]]]), folders);
    expect(one("analytics/core.ts", "bot/render/text.ts")).toEqual([
      "analytics/core.ts → bot/render/text.ts: analytics/ imports an edge",
    ]);
    expect(one("db/queries/events.ts", "analytics/format.ts")).toEqual([
      "db/queries/events.ts → analytics/format.ts: db/ imports analytics/",
    ]);
    expect(one("analytics/alerts/commands.ts", "analytics/kpis/digest.ts")).toEqual([
      "analytics/alerts/commands.ts → analytics/kpis/digest.ts: imports a capability's file other than its index",
    ]);
    expect(one("analytics/alerts/commands.ts", "analytics/kpis/index.ts")).toEqual([]);
    expect(one("analytics/schedules/digest.ts", "analytics/kpis/index.ts")).toEqual([
      "analytics/schedules/digest.ts → analytics/kpis/index.ts: the platform imports a capability (only the list may)",
    ]);
    expect(one("bot/slack/app.ts", "analytics/platform.ts")).toEqual([
      "bot/slack/app.ts → analytics/platform.ts: an edge reaches the Platform (edges talk to Core)",
    ]);
  });

  it("finds every capability in a folder of its own", () => {
    const files = [...tree().keys()];
    for (const name of folders.filter((n) => n !== "basics")) {
      expect(files).toContain(`analytics/${name}/index.ts`);
    }
  });
});
