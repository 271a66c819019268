import { Hono } from "hono";
import type { Core } from "../analytics/platform/core.ts";
import { capabilityRoutes } from "./routes/capabilities.ts";
import { healthRoutes } from "./routes/health.ts";
import { ingestRoutes } from "./routes/ingest.ts";
import { statusRoutes } from "./routes/status.ts";
import { trackingRoutes } from "./routes/tracking.ts";

/** The HTTP API: ingestion, health and status, and the public routes capabilities serve. main.ts mounts it beside the console and Slack receiver. */
export function createApi(core: Core): Hono {
  const app = new Hono();
  app.route("/v1", ingestRoutes(core));
  app.route("/v1", trackingRoutes(core));
  app.route("/", capabilityRoutes(core, "public"));
  app.route("/", healthRoutes(core));
  app.route("/", statusRoutes(core));
  return app;
}
