import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CAPABILITIES } from "../analytics/capabilities/index.ts";
import {
  describeViolation,
  type Edge,
  folderCycles,
  importGraph,
  importViolations,
  readSources,
  type Sources,
  sqlOutsideDb,
  strayFolders,
  synchronousDbExports,
} from "./support/architecture.ts";

/** db/ exports that are not queries, each with why it may stay synchronous. */
const SYNC_ALLOWED = new Set([
  "db/client.ts: openDatabase", // opening the database, at start
  "db/client.ts: freeBytes", // the disk, not the database
  "db/client.ts: dbOf", // a handle conversion, no I/O
  "db/client.ts: tablesOf", // a handle conversion, no I/O
  "db/platform/queries/metrics.ts: emptyFigures", // a zero value, no I/O
  "db/platform/queries/statements.ts: countOutcome", // adds to counts, no I/O
  "db/segments/queries.ts: ordersOfSegment", // builds a SQL fragment, no I/O
  "db/segments/queries.ts: rfmSegmentOfOrder", // builds a SQL fragment, no I/O
  "db/platform/queries/metrics.ts: customerTypeOfOrder", // builds a SQL fragment, no I/O
  "db/privacy/queries.ts: suppressionStep", // a step of the erase's transaction: no I/O until it runs there
  "db/sealer.ts: keyedHash", // a keyed hash, no I/O
  "db/platform/queries/audit.ts: surfaceOfActor", // reads an actor name, no I/O
]);

const root = fileURLToPath(new URL("..", import.meta.url));
const names = CAPABILITIES.map((c) => c.name);
const tree = readSources(root);
const graph = importGraph(root, tree);

/** The tree with `file` added (or replaced) in memory: a violation injected without touching the disk. */
function withFile(file: string, text: string): { sources: Sources; edges: Edge[] } {
  const sources = new Map(tree);
  sources.set(file, text);
  return { sources, edges: importGraph(root, sources) };
}

/** What the check says of one injected file's imports. */
function injected(file: string, text: string): string[] {
  const { edges } = withFile(file, text);
  return importViolations(edges.filter((e) => e.from === file)).map(describeViolation);
}

describe("architecture", () => {
  it("resolves imports as the compiler does: static, type-only, re-exported, multi-line, dynamic and require", () => {
    const file = "analytics/platform/base/probe.ts";
    const { edges } = withFile(
      file,
      `import { a } from "./format.ts";
import type {
  Report,
} from "../reports/report.ts";
export { AppError } from "./errors.ts";
import "./text.ts";
const later = await import("./log.ts");
const old = require("./bounded.ts");`,
    );
    expect(
      edges
        .filter((e) => e.from === file)
        .map((e) => e.to)
        .sort(),
    ).toEqual([
      "analytics/platform/base/bounded.ts",
      "analytics/platform/base/errors.ts",
      "analytics/platform/base/format.ts",
      "analytics/platform/base/log.ts",
      "analytics/platform/base/text.ts",
      "analytics/platform/reports/report.ts",
    ]);
  });

  it("every import of the tree goes the way ARCHITECTURE.md draws it", () => {
    expect(graph.length).toBeGreaterThan(1000);
    expect(importViolations(graph).map(describeViolation)).toEqual([]);
  });

  it("has no folder under analytics/ that is neither the platform nor a listed capability", () => {
    expect(strayFolders(tree, names)).toEqual([]);
    for (const name of names) expect(tree.has(`analytics/capabilities/${name}/index.ts`)).toBe(true);
  });

  it("has no import cycle between folders", () => {
    expect(folderCycles(graph)).toEqual([]);
  });

  it("has every db/ function called from above db/ return a Promise or an async iterable (type checker)", () => {
    expect(synchronousDbExports(root, tree, graph, SYNC_ALLOWED)).toEqual([]);
  }, 60_000);

  it("has no SQL outside db/ (bench/ and test/ are exempt)", () => {
    expect(sqlOutsideDb(tree)).toEqual([]);
  });
});

describe("each rule, broken on purpose", () => {
  it("an edge importing another edge", () => {
    expect(injected("bot/console/probe.ts", 'import { createApi } from "../../api/app.ts";')).toEqual([
      "bot/console/probe.ts → api/app.ts: an edge imports another edge",
    ]);
  });

  it("an edge importing db/, and db/ importing an edge or analytics/", () => {
    expect(injected("api/probe.ts", 'import type { Db } from "../db/client.ts";')).toEqual([
      "api/probe.ts → db/client.ts: an edge imports db/ (edges call the platform's Core)",
    ]);
    expect(
      injected("db/platform/probe.ts", 'import { scrub } from "../../analytics/platform/base/log.ts";'),
    ).toEqual(["db/platform/probe.ts → analytics/platform/base/log.ts: db/ imports something above it"]);
    expect(injected("db/platform/probe.ts", 'export * from "../../bot/render/text.ts";')).toEqual([
      "db/platform/probe.ts → bot/render/text.ts: db/ imports something above it",
    ]);
  });

  it("the platform importing a capability or its tables", () => {
    expect(
      injected(
        "analytics/platform/metrics/probe.ts",
        'const s = await import("../../capabilities/segments/index.ts");',
      ),
    ).toEqual([
      "analytics/platform/metrics/probe.ts → analytics/capabilities/segments/index.ts: the platform imports a capability (it reads the list it is given)",
    ]);
    expect(
      injected(
        "analytics/platform/metrics/probe.ts",
        'import type { X } from "../../../db/segments/queries.ts";',
      ),
    ).toEqual([
      "analytics/platform/metrics/probe.ts → db/segments/queries.ts: the platform reads a capability's tables",
    ]);
  });

  it("a capability reaching past another's index.ts, or reading its tables", () => {
    expect(
      injected("analytics/capabilities/alerts/probe.ts", 'import { x } from "../kpis/digest.ts";'),
    ).toEqual([
      "analytics/capabilities/alerts/probe.ts → analytics/capabilities/kpis/digest.ts: imports another capability's file other than its index.ts",
    ]);
    expect(
      injected("analytics/capabilities/alerts/probe.ts", 'import { kpis } from "../kpis/index.ts";'),
    ).toEqual([]);
    expect(
      injected(
        "analytics/capabilities/ask/probe.ts",
        'import { listSegments } from "../../../db/segments/queries.ts";',
      ),
    ).toEqual([
      "analytics/capabilities/ask/probe.ts → db/segments/queries.ts: reads another capability's tables",
    ]);
  });

  it("pure math importing anything that is not pure math", () => {
    expect(
      injected(
        "analytics/capabilities/experiments/probe.math.ts",
        'import type { Db } from "../../../db/client.ts";',
      ),
    ).toEqual([
      "analytics/capabilities/experiments/probe.math.ts → db/client.ts: pure math (*.math.ts) imports something that is not pure math",
    ]);
  });

  it("a folder under analytics/ that is neither platform nor a listed capability", () => {
    const { sources } = withFile("analytics/widgets/index.ts", "export const x = 1;");
    expect(strayFolders(sources, names)).toEqual(["analytics/widgets/"]);
    const { sources: unlisted } = withFile("analytics/capabilities/widgets/index.ts", "export const x = 1;");
    expect(strayFolders(unlisted, names)).toEqual(["analytics/capabilities/widgets/"]);
  });

  it("an import cycle between two folders, named step by step", () => {
    const sources = new Map(tree);
    sources.set(
      "analytics/platform/keys/probe-a.ts",
      'import { b } from "../time/probe-b.ts";\nexport const a = 1;',
    );
    sources.set(
      "analytics/platform/time/probe-b.ts",
      'import { a } from "../keys/probe-a.ts";\nexport const b = 1;',
    );
    const cycles = folderCycles(importGraph(root, sources));
    expect(cycles).toContainEqual(
      expect.arrayContaining([
        "analytics/platform/keys/probe-a.ts → analytics/platform/time/probe-b.ts",
        "analytics/platform/time/probe-b.ts → analytics/platform/keys/probe-a.ts",
      ]),
    );
  });

  it("a synchronous db/ query called from above db/", () => {
    const { sources, edges } = withFile(
      "analytics/platform/keys/probe.ts",
      'import { countOutcome, emptyCounts } from "../../../db/platform/queries/statements.ts";\nexport const n = [countOutcome, emptyCounts];',
    );
    expect(synchronousDbExports(root, sources, edges, SYNC_ALLOWED)).toEqual([
      "db/platform/queries/statements.ts: emptyCounts returns WriteCounts",
    ]);
  }, 60_000);

  it("SQL written outside db/", () => {
    const sources: Sources = new Map([
      [
        "analytics/capabilities/experiments/probe.ts",
        "const q = `SELECT count(*) FROM exposures WHERE x = 1`;",
      ],
      // A Salesforce query sent over HTTP, tagged as such: not Lift's database.
      [
        "analytics/capabilities/crm/probe.ts",
        "const q = soql`SELECT Id FROM Contact WHERE IsDeleted = false`;",
      ],
    ]);
    expect(sqlOutsideDb(sources)).toEqual(["analytics/capabilities/experiments/probe.ts:1: SQL outside db/"]);
  });
});
