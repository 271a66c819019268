import { Hono } from "hono";
import type { Core } from "../../analytics/platform/core.ts";

/**
 * /healthz: the process answers. /readyz: Lift can take data — the disk has
 * room, a real write commits, the database passes its integrity check (on
 * databases up to 256 MB; the answer says when it was skipped) — else 503. The
 * check runs at most every few seconds, however often it is asked; the reason
 * goes to the log, and the unauthenticated caller gets only its kind.
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
          {
            ok: false,
            error: ready.diskFull
              ? { code: "disk_full", message: "The disk is full: Lift cannot take data" }
              : { code: "not_ready", message: "The database fails its checks: the log says why" },
          },
          503,
        );
      }
      // Cheap on any size of database: probes run often, so no row counts here.
      const [hasData, freshness] = await Promise.all([core.hasData(), core.freshness()]);
      return c.json({ ok: true, hasData, freshness: freshness.text, integrity: ready.integrity });
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
