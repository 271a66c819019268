import { Hono } from "hono";
import type { Core } from "../../analytics/core.ts";

/**
 * /healthz: the process answers. /readyz: Lift can take data — the disk has
 * room, a real write commits, the database passes its integrity check —
 * else 503 with the reason (and the log says it).
 */
export function healthRoutes(core: Core) {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", async (c) => {
    try {
      const ready = await core.readiness();
      if (!ready.ok) {
        core.logger.error({ reason: ready.reason }, "not ready");
        return c.json(
          { ok: false, error: { code: ready.diskFull ? "disk_full" : "not_ready", message: ready.reason } },
          503,
        );
      }
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
