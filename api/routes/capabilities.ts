import { Hono } from "hono";
import type { Core } from "../../analytics/platform/core.ts";
import { errorResponse } from "../http/errors.ts";

/**
 * The routes capabilities serve on one surface (public: links in mail, webhooks; console:
 * behind its token), each handed the raw request and its owner's context.
 */
export function capabilityRoutes(core: Core, surface: "public" | "console"): Hono {
  const app = new Hono();
  for (const { route, context } of core.routes(surface))
    app.on(route.method, route.path, async (c) => {
      try {
        return await route.handle(c.req.raw, c.req.param() as Record<string, string>, context);
      } catch (error) {
        return errorResponse(c, error, core.logger);
      }
    });
  return app;
}
