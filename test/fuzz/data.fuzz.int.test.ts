import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../../analytics/platform/base/errors.ts";
import { demoDb, emptyDb, type TestDb } from "../support/db.ts";
import { fuzzOptions, fuzzTimeout } from "./budget.ts";
import { changedTables, fingerprint } from "./lift-app.ts";
import { commandText, offline } from "./requests.ts";

/*
 * The command language end to end on the demo workspace (every command's own examples, cut,
 * extended and mangled, and any text), and file imports of every kind (headers, separators,
 * quotes, encodings and values near what exports hold). A command answers or refuses with a
 * sentence; an import takes its rows or refuses the file, and a refused file writes nothing.
 */

const COMMAND_SECONDS = 20;
const IMPORT_SECONDS = 10;

let demo: TestDb;
let empty: TestDb;
beforeAll(() => {
  demo = demoDb();
  empty = emptyDb();
});
afterAll(() => {
  demo?.cleanup();
  empty?.cleanup();
});

describe("the command language and imports, fuzzed", () => {
  it(
    "answers every command or refuses it with a sentence, never an internal error",
    async () => {
      const examples = demo.platform.registries.commands.list().flatMap((c) => c.examples);
      await fc.assert(
        fc.asyncProperty(commandText(examples).filter(offline), async (text) => {
          try {
            const report = await demo.platform.registries.commands.run(text, { userId: "console" });
            expect(typeof report.title, text).toBe("string");
            expect(report.summary.length, text).toBeGreaterThan(0);
          } catch (error) {
            if (!isAppError(error) || error.code === "internal") throw error;
          }
        }),
        fuzzOptions(COMMAND_SECONDS),
      );
    },
    fuzzTimeout(COMMAND_SECONDS),
  );

  it(
    "takes a file's rows or refuses the file, and a refused file writes nothing",
    async () => {
      const columns: Record<string, string[]> = {
        customers: [
          "id",
          "customer_id",
          "email",
          "Email",
          "first_seen",
          "created_at",
          "plan",
          "country",
          "name",
        ],
        orders: [
          "id",
          "order_id",
          "customer_id",
          "email",
          "amount",
          "total",
          "currency",
          "timestamp",
          "created_at",
          "channel",
          "status",
        ],
        campaigns: ["date", "campaign", "channel", "spend", "clicks", "impressions", "cost", "Day"],
      };
      const value = fc.oneof(
        fc.constantFrom(
          "c1",
          "o1",
          "grace@example.com",
          "2026-11-01",
          "2026-11-01T10:00:00Z",
          "11/01/2026",
          "19.99",
          "1,234.50",
          "-5",
          "USD",
          "EUR",
          "email",
          "Paid search",
          "",
          "NaN",
          "1e309",
          "=1+1",
          '"quoted, value"',
          "\u00e9t\u00e9",
        ),
        fc.string({ maxLength: 12 }),
      );
      const file = fc
        .record({
          kind: fc.constantFrom("customers", "orders", "campaigns"),
          picks: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
          extra: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
          rows: fc.array(fc.array(value, { maxLength: 8 }), { maxLength: 6 }),
          separator: fc.constantFrom(",", ";", "\t", "|"),
          bom: fc.boolean(),
          crlf: fc.boolean(),
          latin1: fc.boolean(),
        })
        .map(({ kind, picks, extra, rows, separator, bom, crlf, latin1 }) => {
          const names = columns[kind]!;
          const header = [...new Set([...picks.map((p) => names[p % names.length]!), ...extra])];
          const lines = [header, ...rows].map((cells) => cells.join(separator)).join(crlf ? "\r\n" : "\n");
          const text = `${bom ? "\ufeff" : ""}${lines}\n`;
          return { kind, bytes: latin1 ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8") };
        });
      let n = 0;
      await fc.assert(
        fc.asyncProperty(file, async ({ kind, bytes }) => {
          const path = join(empty.dir, `fuzz-${n++}.csv`);
          writeFileSync(path, bytes);
          const before = fingerprint(empty.db);
          try {
            const summary = await empty.core.importFile({ kind, path });
            expect(summary.rows).toBeGreaterThanOrEqual(0);
          } catch (error) {
            if (!isAppError(error) || error.code === "internal") throw error;
            expect(changedTables(before, fingerprint(empty.db)), error.message).toEqual([]);
          }
        }),
        fuzzOptions(IMPORT_SECONDS),
      );
    },
    fuzzTimeout(IMPORT_SECONDS),
  );
});
