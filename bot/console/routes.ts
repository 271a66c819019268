import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { streamSSE } from "hono/streaming";
import type { ChartSpec } from "../../analytics/charts/spec.ts";
import type { CommandRunner } from "../../analytics/commands/index.ts";
import type { Core } from "../../analytics/core.ts";
import { AppError, isAppError } from "../../analytics/errors.ts";
import { reportToCsv } from "../../analytics/reports/cells.ts";
import type { Report } from "../../analytics/reports/report.ts";
import { renderHtml } from "../render/html.ts";
import { consolePage } from "./page.ts";

export interface ConsoleOptions {
  core: Core;
  /** Runs commands and renders charts (off the main thread in a server). */
  runner: CommandRunner;
  /** When set, every console request must carry it (Slack modes, or a non-loopback host). */
  token?: string | undefined;
  /** How often the live panels check for new data. */
  pollMs?: number;
}

/** Drawn charts, kept for a while by the hash of their spec, so an unchanged chart is drawn once. */
class ChartStore {
  private readonly items = new Map<string, Buffer>();
  private readonly byHash = new Map<string, string>();

  async url(spec: ChartSpec, draw: (spec: ChartSpec) => Promise<Buffer>): Promise<string> {
    const hash = createHash("sha1").update(JSON.stringify(spec)).digest("base64url");
    let id = this.byHash.get(hash);
    if (!id || !this.items.has(id)) {
      id = randomUUID();
      this.items.set(id, await draw(spec));
      this.byHash.set(hash, id);
      // A small LRU: the oldest go first.
      while (this.items.size > 200) {
        const oldest = this.items.keys().next().value!;
        this.items.delete(oldest);
      }
    }
    return `/console/charts/${id}.png`;
  }

  get(id: string): Buffer | undefined {
    return this.items.get(id);
  }
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function errorBody(error: AppError) {
  return { error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
}

/**
 * The local console: the same commands and reports as Slack, as HTML with
 * chart images, and a page built from the panels the capabilities contribute
 * (each with its own data route; live ones refresh when new data arrives).
 */
export function consoleRoutes(options: ConsoleOptions): Hono {
  const { core, runner } = options;
  const charts = new ChartStore();
  const draw = (spec: ChartSpec) => runner.chart(spec);
  const htmlOf = async (report: Report) =>
    renderHtml(report, { chartUrls: await Promise.all(report.charts.map((spec) => charts.url(spec, draw))) });
  const app = new Hono();

  if (options.token) {
    const token = options.token;
    app.use("*", async (c, next) => {
      const fromQuery = c.req.query("token");
      const header = c.req.header("authorization")?.replace(/^Bearer /, "");
      if (sameToken(fromQuery, token) || sameToken(header, token)) {
        setCookie(c, "lift_console", token, { httpOnly: true, sameSite: "Strict", path: "/" });
        return next();
      }
      if (sameToken(getCookie(c, "lift_console"), token)) return next();
      return c.json(
        {
          error: {
            code: "unauthorized",
            message: "The console needs its token",
            hint: "open the URL Lift printed at start (…?token=…)",
          },
        },
        401,
      );
    });
  }

  app.get("/", (c) => c.html(consolePage(core.panels())));

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
      const body = (await c.req.json()) as { command?: unknown };
      if (typeof body.command !== "string") throw new AppError("invalid_input", 'Send {"command": "…"}');
      command = body.command.slice(0, 2000);
      const report = await runner.run(command, { userId: "console", channelId: "console" });
      return c.json({
        id: report.id,
        title: report.title,
        html: await htmlOf(report),
        csv: report.id ? `/console/answers/${report.id}.csv` : null,
      });
    } catch (error) {
      if (isAppError(error) && error.code !== "internal") return c.json(errorBody(error), 400);
      core.logger.error({ err: error, command: command.slice(0, 100) }, "console command failed");
      return c.json(
        { error: { code: "internal", message: "Something went wrong on our side; it has been logged." } },
        500,
      );
    }
  });

  // The stored answer's table as CSV: the numbers the person saw, never a rerun.
  app.get("/console/answers/:file", async (c) => {
    const id = /^([\w-]+)\.csv$/.exec(c.req.param("file"))?.[1];
    const stored = id ? await core.answer(id) : null;
    if (!stored)
      return c.json({ error: { code: "not_found", message: "That answer has expired; ask again" } }, 404);
    const name = `lift-${stored.report.kind}-${stored.report.period?.to ?? "report"}.csv`.replace(
      /[^\w.-]/g,
      "",
    );
    return c.body(reportToCsv(stored.report), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
    });
  });

  app.get("/console/charts/:file", (c) => {
    const id = /^([\w-]+)\.png$/.exec(c.req.param("file"))?.[1];
    const png = id ? charts.get(id) : undefined;
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

  // Tells the page whenever new data has arrived (checked every few seconds), so live panels refresh.
  app.get("/console/stream", (c) =>
    streamSSE(c, async (stream) => {
      let last = "";
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      while (open) {
        const version = await core.dataVersion();
        if (version !== last) {
          last = version;
          await stream.writeSSE({ event: "data", data: version });
        } else await stream.writeSSE({ event: "ping", data: "" });
        await stream.sleep(options.pollMs ?? 3000);
      }
    }),
  );

  return app;
}
