import { Hono } from "hono";
import type { Core } from "../../analytics/platform/core.ts";
import { AppError } from "../../analytics/platform/errors.ts";
import { authenticate } from "../auth.ts";
import { readJsonBody } from "../body.ts";
import { errorResponse } from "../errors.ts";

/** POST /v1/mentions: push social posts, `{mentions: [...]}` or one post object. */
export function mentionRoutes(core: Core) {
  const app = new Hono();
  app.post("/", async (c) => {
    try {
      const header = c.req.header("authorization");
      if (header) await authenticate(core.keys, header, undefined);
      const body = await readJsonBody(c.req.raw, { authenticated: header !== undefined });
      const object =
        typeof body === "object" && body !== null && !Array.isArray(body)
          ? (body as Record<string, unknown>)
          : null;
      if (!header) await authenticate(core.keys, undefined, object?.["writeKey"]);
      const mentions = Array.isArray(body)
        ? body
        : Array.isArray(object?.["mentions"])
          ? (object!["mentions"] as unknown[])
          : object
            ? [object]
            : null;
      if (!mentions)
        throw new AppError(
          "invalid_input",
          "Send `{mentions: [...]}`, an array of posts, or one post object",
        );
      const result = await core.ingest("mentions", mentions, { receivedAt: core.now() });
      if (result.accepted + result.duplicates === 0 && mentions.length > 0) {
        return c.json(
          {
            error: { code: "invalid_input", message: `None of the ${mentions.length} mentions is valid` },
            rejected: result.rejected,
          },
          400,
        );
      }
      return c.json({
        success: true,
        accepted: result.accepted,
        duplicates: result.duplicates,
        rejected: result.rejected,
      });
    } catch (error) {
      return errorResponse(c, error, core.logger);
    }
  });
  return app;
}
