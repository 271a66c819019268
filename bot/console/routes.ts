import { createHash } from "node:crypto";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { AppError, DISK_FULL, isAppError, isDiskFull } from "../../analytics/platform/base/errors.ts";
import type { ChartSpec } from "../../analytics/platform/charts/spec.ts";
import type { ChartSize, CommandRunner } from "../../analytics/platform/commands/runner.ts";
import type { Core } from "../../analytics/platform/core.ts";
import { reportToCsv } from "../../analytics/platform/reports/cells.ts";
import { reportFilename } from "../../analytics/platform/reports/files.ts";
import type { Report } from "../../analytics/platform/reports/report.ts";
import { renderHtml } from "../render/html.ts";
import {
  consoleJson,
  consoleTokenGuard,
  inlineScriptHash,
  sameOriginWrites,
  securityHeaders,
} from "./guards.ts";
import { consolePage } from "./page.ts";

export { consoleTokenGuard } from "./guards.ts";

export interface ConsoleOptions {
  core: Core;
  /** Runs commands and renders charts (off the main thread in a server). */
  runner: CommandRunner;
  /** When set, every console request must carry it (Slack modes, or a non-loopback host). */
  token?: string | undefined;
  /** How often the live panels check for new data. */
  pollMs?: number;
  /** MAX_STREAMS unless a test sets it. */
  maxStreams?: number;
}

/** The sizes the console draws a chart in: the page's width, and a phone's (its text stays readable). */
const SIZES: Record<string, ChartSize> = {
  "960": { width: 960, height: 480 },
  "480": { width: 480, height: 320 },
};

/**
 * Charts by the hash of their spec, drawn when first asked for in each size
 * and kept for a while, so an unchanged chart is drawn once.
 */
class ChartStore {
  private readonly specs = new Map<string, ChartSpec>();
  private readonly pngs = new Map<string, Buffer>();

  /** The chart's URLs: the wide one, and the one for narrow screens. */
  urls(spec: ChartSpec): { wide: string; narrow: string } {
    const id = createHash("sha1").update(JSON.stringify(spec)).digest("base64url");
    this.specs.delete(id);
    this.specs.set(id, spec);
    // A small LRU: the oldest go first.
    while (this.specs.size > 300) this.specs.delete(this.specs.keys().next().value!);
    return { wide: `/console/charts/${id}/960.png`, narrow: `/console/charts/${id}/480.png` };
  }

  async png(id: string, width: string, draw: (spec: ChartSpec, size: ChartSize) => Promise<Buffer>) {
    const spec = this.specs.get(id);
    const size = SIZES[width];
    if (!spec || !size) return undefined;
    const key = `${id}/${width}`;
    let png = this.pngs.get(key);
    if (!png) {
      png = await draw(spec, size);
      this.pngs.set(key, png);
      while (this.pngs.size > 300) this.pngs.delete(this.pngs.keys().next().value!);
    }
    return png;
  }
}

function errorBody(error: AppError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.suggestions.length > 0 ? { suggestions: error.suggestions } : {}),
    },
  };
}

/** Live-panel streams open at once: each holds a connection and polls the database. */
export const MAX_STREAMS = 32;

/**
 * The local console: the same commands and reports as Slack, as HTML with
 * chart images, and a page built from the panels the capabilities contribute
 * (each with its own data route; live ones refresh when new data arrives).
 */
// Long on purpose: the console's route table, one route per block, each short; split, the table would be read in pieces.
/** Answers that are words, not figures: no "Download CSV" under them. */
const NO_CSV = new Set(["confirm", "refusal", "confirmation", "ask", "help"]);

export function consoleRoutes(options: ConsoleOptions): Hono {
  const { core, runner } = options;
  const charts = new ChartStore();
  const htmlOf = async (report: Report) => {
    const urls = report.charts.map((spec) => charts.urls(spec));
    return renderHtml(report, {
      chartUrls: urls.map((u) => u.wide),
      narrowChartUrls: urls.map((u) => u.narrow),
    });
  };
  const app = new Hono();
  const page = consolePage(core.panels());
  const scriptHash = inlineScriptHash(page);
  let streams = 0;

  app.use(
    "*",
    securityHeaders(() => scriptHash),
  );
  if (options.token) app.use("*", consoleTokenGuard(options.token));
  // Pages capabilities serve in the console (the template editor); the POST ones take plain forms.
  const pages = core.routes("console");
  const forms = pages
    .filter(({ route }) => route.method === "POST")
    .map(({ route }) => new RegExp(`^${route.path.replace(/:[A-Za-z]+/g, "[^/]+")}$`));
  app.use(
    "/console/*",
    sameOriginWrites((path) => forms.some((pattern) => pattern.test(path))),
  );

  app.get("/", (c) => c.html(page));

  /** While the demo seeds, answers would be partial: say so instead, with the progress. */
  const seedingNote = () => {
    const seeding = core.seeding;
    return seeding
      ? {
          done: seeding.done,
          total: seeding.total,
          message: `Lift is seeding the demo workspace (${seeding.done} of ${seeding.total} days); answers come once it is done.`,
        }
      : null;
  };

  app.get("/console/state", (c) => c.json({ seeding: seedingNote() }));

  app.post("/console/run", async (c) => {
    let command = "";
    const seeding = seedingNote();
    if (seeding)
      return c.json(
        { error: { code: "seeding", message: seeding.message, hint: "ask again in a moment" } },
        503,
      );
    try {
      const body = await consoleJson(c.req.raw);
      if (typeof body["command"] !== "string") throw new AppError("invalid_input", 'Send {"command": "…"}');
      command = body["command"].slice(0, 2000);
      // A follow-up in the console's conversation changes the question of the answer it follows.
      const prior = typeof body["previous"] === "string" ? await core.answer(body["previous"]) : null;
      const report = await runner.run(command, {
        userId: "console",
        channelId: "console",
        ...(prior ? { previous: prior.report.command ?? prior.command } : {}),
      });
      // A CSV only of figures: not of a refusal, a confirmation or words.
      const figures =
        Boolean(report.table || report.download || report.facts.length > 0) && !NO_CSV.has(report.kind);
      return c.json({
        id: report.id,
        title: report.title,
        html: await htmlOf(report),
        csv: report.id && figures ? `/console/answers/${report.id}.csv` : null,
        // 👍/👎 on every answer but a confirmation (nothing is answered before it is confirmed).
        feedback: Boolean(report.id) && report.kind !== "confirm",
      });
    } catch (error) {
      if (isAppError(error) && error.code !== "internal" && !isDiskFull(error))
        return c.json(errorBody(error), error.code === "payload_too_large" ? 413 : 400);
      if (isDiskFull(error)) {
        core.logger.error({ err: error }, "disk full: a console command could not write");
        return c.json({ error: DISK_FULL }, 503);
      }
      core.logger.error({ err: error, command: command.slice(0, 100) }, "console command failed");
      return c.json(
        { error: { code: "internal", message: "Something went wrong on our side; it has been logged." } },
        500,
      );
    }
  });

  // 👍/👎 on an answer, kept with its question, command and kind (as Slack's feedback buttons are).
  app.post("/console/feedback", async (c) => {
    try {
      const body = await consoleJson(c.req.raw);
      const value = body["value"];
      if (typeof body["answer"] !== "string" || (value !== "good" && value !== "bad"))
        throw new AppError("invalid_input", 'Send {"answer": "<answer id>", "value": "good" | "bad"}');
      await core.feedback(body["answer"], "console", value);
      return c.json({ ok: true });
    } catch (error) {
      if (isAppError(error) && error.code !== "internal")
        return c.json(errorBody(error), error.code === "not_found" ? 404 : 400);
      throw error;
    }
  });

  // The stored answer's table as CSV: the numbers the person saw, never a rerun.
  app.get("/console/answers/:file", async (c) => {
    const id = /^([\w-]+)\.csv$/.exec(c.req.param("file"))?.[1];
    const stored = id ? await core.answer(id) : null;
    if (!stored)
      return c.json({ error: { code: "not_found", message: "That answer has expired; ask again" } }, 404);
    let download: Awaited<ReturnType<typeof core.download>> = null;
    try {
      download = stored.report.download
        ? await core.download(stored.report.download.source, stored.report.download.key)
        : null;
    } catch (error) {
      // The segment was deleted since the answer: say so, as the answer would.
      if (isAppError(error) && error.code !== "internal") return c.json(errorBody(error), 404);
      throw error;
    }
    if (stored.report.download && download) {
      // The full data behind the answer, streamed a few hundred lines per pull, as fast as the browser reads.
      const lines = download.lines;
      const iterator =
        Symbol.asyncIterator in lines
          ? lines[Symbol.asyncIterator]()
          : (lines as Iterable<string>)[Symbol.iterator]();
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          let chunk = "";
          for (let i = 0; i < 500; i++) {
            const next = await iterator.next();
            if (next.done) {
              if (chunk) controller.enqueue(encoder.encode(chunk));
              controller.close();
              return;
            }
            chunk += next.value;
          }
          controller.enqueue(encoder.encode(chunk));
        },
      });
      return c.body(body, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${stored.report.download.filename}"`,
      });
    }
    const name = reportFilename(stored.report, "csv");
    return c.body(reportToCsv(stored.report), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
    });
  });

  app.get("/console/charts/:id/:file", async (c) => {
    const width = /^(\d+)\.png$/.exec(c.req.param("file"))?.[1] ?? "";
    const png = await charts.png(c.req.param("id"), width, (spec, size) => runner.chart(spec, size));
    if (!png)
      return c.json(
        { error: { code: "not_found", message: "That chart has expired; run the command again" } },
        404,
      );
    return c.body(new Uint8Array(png), 200, {
      "content-type": "image/png",
      "cache-control": "private, max-age=3600",
    });
  });

  app.get("/console/panels", (c) =>
    c.json(
      core.panels().map((p) => ({
        id: p.id,
        title: p.title,
        subtitle: p.subtitle ?? null,
        live: Boolean(p.live),
        refreshMs: p.refreshMs ?? null,
      })),
    ),
  );

  // One panel's data, rendered; a failing panel answers with its error and the page shows it in place.
  app.get("/console/panels/:id", async (c) => {
    const seeding = seedingNote();
    if (seeding) return c.json({ seeding });
    try {
      const reports = await core.panel(c.req.param("id"), "console");
      const freshness = reports.find((r) => r.freshness)?.freshness ?? null;
      return c.json({ html: (await Promise.all(reports.map(htmlOf))).join("\n"), freshness });
    } catch (error) {
      if (isAppError(error) && error.code !== "internal") return c.json(errorBody(error), 404);
      core.logger.error({ err: error, panel: c.req.param("id") }, "a console panel failed");
      return c.json(
        { error: { code: "internal", message: "This panel could not be built; it has been logged." } },
        500,
      );
    }
  });

  // The capabilities' pages, behind the same token.
  for (const { route, context } of pages)
    app.on(route.method, route.path, async (c) => {
      try {
        return await route.handle(c.req.raw, c.req.param() as Record<string, string>, context);
      } catch (error) {
        if (isAppError(error) && error.code !== "internal")
          return c.json(errorBody(error), error.code === "not_found" ? 404 : 400);
        core.logger.error({ err: error, path: c.req.path }, "a console page failed");
        return c.json({ error: { code: "internal", message: "This page failed; it has been logged." } }, 500);
      }
    });

  // Tells the page whenever new data has arrived (checked every few seconds), so live panels refresh.
  app.get("/console/stream", (c) => {
    if (streams >= (options.maxStreams ?? MAX_STREAMS))
      return c.json(
        { error: { code: "busy", message: "Too many live views are open", hint: "close a console tab" } },
        503,
        { "retry-after": "30" },
      );
    streams++;
    let counted = true;
    const release = () => {
      if (counted) streams--;
      counted = false;
    };
    return streamSSE(c, async (stream) => {
      let last = "";
      let open = true;
      stream.onAbort(() => {
        open = false;
        release();
      });
      try {
        while (open) {
          const version = await core.dataVersion();
          if (version !== last) {
            last = version;
            await stream.writeSSE({ event: "data", data: version });
          } else await stream.writeSSE({ event: "ping", data: "" });
          await stream.sleep(options.pollMs ?? 3000);
        }
      } finally {
        release();
      }
    });
  });

  return app;
}
