import { randomUUID, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { streamSSE } from "hono/streaming";
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
  /** How often the live dashboard checks for new data. */
  pollMs?: number;
}

/** Rendered charts and CSVs, kept for a while so the page can fetch them by id. */
class Artifacts {
  private readonly items = new Map<string, { type: string; body: Buffer | string }>();
  put(type: string, body: Buffer | string): string {
    const id = randomUUID();
    this.items.set(id, { type, body });
    // A small LRU: the oldest go first.
    while (this.items.size > 200) this.items.delete(this.items.keys().next().value!);
    return id;
  }
  get(id: string) {
    return this.items.get(id);
  }
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The local console: the same commands and reports as Slack, as HTML with
 * chart images, and a live dashboard (server-sent events, no page reload).
 */
export function consoleRoutes(options: ConsoleOptions): Hono {
  const { core, runner } = options;
  const artifacts = new Artifacts();
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

  app.get("/", (c) => c.html(consolePage()));

  app.post("/console/run", async (c) => {
    let command = "";
    try {
      const body = (await c.req.json()) as { command?: unknown };
      if (typeof body.command !== "string") throw new AppError("invalid_input", 'Send {"command": "…"}');
      command = body.command.slice(0, 2000);
      const report = await runner.run(command, { userId: "console", channelId: "console" });
      const charts = await Promise.all(
        report.charts.map(
          async (chart) => `/console/artifacts/${artifacts.put("image/png", await runner.chart(chart))}`,
        ),
      );
      const csv = `/console/artifacts/${artifacts.put("text/csv; charset=utf-8", reportToCsv(report))}`;
      return c.json({ html: renderHtml(report, { chartUrls: charts }), title: report.title, charts, csv });
    } catch (error) {
      if (isAppError(error) && error.code !== "internal") {
        return c.json(
          {
            error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
          },
          400,
        );
      }
      core.logger.error({ err: error, command: command.slice(0, 100) }, "console command failed");
      return c.json(
        { error: { code: "internal", message: "Something went wrong on our side; it has been logged." } },
        500,
      );
    }
  });

  app.get("/console/artifacts/:id", (c) => {
    const item = artifacts.get(c.req.param("id"));
    if (!item)
      return c.json(
        { error: { code: "not_found", message: "That chart or file has expired; run the command again" } },
        404,
      );
    const headers: Record<string, string> = {
      "content-type": item.type,
      "cache-control": "private, max-age=3600",
    };
    if (item.type.startsWith("text/csv"))
      headers["content-disposition"] = 'attachment; filename="lift-report.csv"';
    return c.body(typeof item.body === "string" ? item.body : new Uint8Array(item.body), 200, headers);
  });

  const dashboard = async () => {
    const data = await core.dashboard();
    return {
      ...data,
      chart: `/console/artifacts/${artifacts.put("image/png", await runner.chart(data.trend))}`,
    };
  };

  app.get("/console/dashboard", async (c) => c.json(await dashboard()));

  // The local Notifier's feed: digests and alerts as they would have gone to Slack, and what failed.
  // A feed item's chart is drawn once, when the page first asks for it.
  const feedCharts = new Map<string, string[]>();
  const chartsOf = async (key: string, report: Report) => {
    let urls = feedCharts.get(key);
    // Drawn again if the artifact store has since let it go.
    if (!urls || urls.some((url) => !artifacts.get(url.slice("/console/artifacts/".length)))) {
      urls = await Promise.all(
        report.charts.map(
          async (chart) => `/console/artifacts/${artifacts.put("image/png", await runner.chart(chart))}`,
        ),
      );
      feedCharts.set(key, urls);
    }
    return urls;
  };
  app.get("/console/feed", async (c) => {
    const [items, failures] = await Promise.all([core.feed.list(30), core.failedDeliveries()]);
    // Only the items still shown keep their charts.
    const shown = new Set(items.map((item) => item.key));
    for (const key of feedCharts.keys()) if (!shown.has(key)) feedCharts.delete(key);
    return c.json({
      items: await Promise.all(
        items.map(async (item) => ({
          key: item.key,
          at: item.at,
          destination: item.destination,
          kind: item.kind,
          replyTo: item.replyTo,
          html: renderHtml(item.report, { chartUrls: await chartsOf(item.key, item.report) }),
        })),
      ),
      failures,
    });
  });

  // Pushes the dashboard whenever new data has arrived (checked every few seconds).
  app.get("/console/stream", (c) =>
    streamSSE(c, async (stream) => {
      let last = "";
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      while (open) {
        const key = await core.dataVersion();
        if (key !== last) {
          last = key;
          await stream.writeSSE({ event: "dashboard", data: JSON.stringify(await dashboard()) });
        } else await stream.writeSSE({ event: "ping", data: "" });
        await stream.sleep(options.pollMs ?? 3000);
      }
    }),
  );

  return app;
}
