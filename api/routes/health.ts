import { Hono } from "hono";
import type { Core } from "../../analytics/core.ts";

/** /healthz: the process answers. /readyz: the database answers too. */
export function healthRoutes(core: Core) {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", async (c) => {
    try {
      // Cheap on any size of database: probes run often, so no row counts here.
      const [hasData, freshness] = await Promise.all([core.hasData(), core.freshness()]);
      return c.json({ ok: true, hasData, freshness: freshness.text });
    } catch (error) {
      core.logger.error({ err: error }, "readiness check failed");
      return c.json(
        { ok: false, error: { code: "not_ready", message: "The database does not answer" } },
        503,
      );
    }
  });
  return app;
}
