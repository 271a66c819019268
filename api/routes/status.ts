import { Hono } from "hono";
import { html } from "hono/html";
import { formatCount } from "../../analytics/platform/base/format.ts";
import type { Core } from "../../analytics/platform/core.ts";

/** GET /api/status (JSON) and GET /status (a plain page): row counts and data freshness. */
export function statusRoutes(core: Core) {
  const app = new Hono();
  app.get("/api/status", async (c) => c.json(await core.status()));
  app.get("/status", async (c) => {
    const status = await core.status();
    return c.html(html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>Lift · status</title>
          <style>
            body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 40rem; color: #1d1c1d; }
            table { border-collapse: collapse; } td { padding: .2rem 1rem .2rem 0; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
            .stale { color: #b42318; }
          </style>
        </head>
        <body>
          <h1>Lift</h1>
          <p class="${status.freshness.stale ? "stale" : ""}">${status.freshness.text}${status.freshness.stale ? " — stale" : ""}</p>
          <table>
            ${Object.entries(status.counts).map(([table, n]) => html`<tr><td>${table}</td><td class="n">${formatCount(n)}</td></tr>`)}
          </table>
          <p>Reporting time zone ${status.timeZone}, currency ${status.currency}.</p>
        </body>
      </html>`);
  });
  return app;
}
