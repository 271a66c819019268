import { AppError } from "../../platform/base/errors.ts";
import type { HttpRoute } from "../../platform/contract/capability.ts";
import { privacyApi } from "./api.ts";

/*
 * The admin API of privacy requests, behind the console's token (an admin's): a person's data
 * as one JSON document, and their erasure (confirmed in the body: a replayed GET cannot erase).
 */

async function readJson(request: Request): Promise<Record<string, unknown>> {
  try {
    const body = (await request.json()) as unknown;
    if (body && typeof body === "object" && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {}
  throw new AppError("invalid_input", 'The body must be JSON: {"person": "…", "confirm": true}');
}

export const privacyRoutes: HttpRoute[] = [
  {
    method: "GET",
    path: "/console/privacy/export",
    surface: "console",
    async handle(request, _params, context) {
      const person = new URL(request.url).searchParams.get("person") ?? "";
      const document = await privacyApi.of(context.platform).export(person);
      return new Response(JSON.stringify(document, null, 2), {
        headers: {
          "content-type": "application/json; charset=utf-8",
          "content-disposition": 'attachment; filename="lift-privacy-export.json"',
          "cache-control": "no-store",
        },
      });
    },
  },
  {
    method: "POST",
    path: "/console/privacy/erase",
    surface: "console",
    async handle(request, _params, context) {
      const body = await readJson(request);
      const person = typeof body["person"] === "string" ? body["person"] : "";
      if (body["confirm"] !== true)
        throw new AppError("invalid_input", "Erasing cannot be undone: send confirm: true with the person");
      const result = await privacyApi.of(context.platform).erase(person, "console", "api");
      return Response.json({
        erased: true,
        rows: result.rows,
        tables: result.counts,
        crm: result.crm,
        wal_truncated: !result.walBusy,
      });
    },
  },
];
