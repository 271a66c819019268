import { type Context, Hono } from "hono";
import { AppError } from "../../analytics/platform/base/errors.ts";
import type { Core } from "../../analytics/platform/core.ts";
import {
  type IngestResult,
  MAX_DEPTH,
  objectToInput,
  tooMuch,
} from "../../analytics/platform/ingest/index.ts";
import { authenticate } from "../http/auth.ts";
import { MAX_EVENT_BYTES, readJsonBody } from "../http/body.ts";
import { errorResponse } from "../http/errors.ts";

type Body = Record<string, unknown>;

/** Nothing in the push was valid: a 400 that lists every row's reason. */
class NoneValid extends AppError {
  constructor(
    message: string,
    readonly rejected: IngestResult["rejected"],
  ) {
    super("invalid_input", message);
  }
}

const isObject = (value: unknown): value is Body =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The rows of a push: `{rows: [...]}`, `{<kind>: [...]}` (`{mentions: [...]}`), an array, or one row. */
function rowsOf(body: unknown, kind: string): unknown[] | null {
  if (Array.isArray(body)) return body;
  if (!isObject(body)) return null;
  for (const key of ["rows", kind]) if (Array.isArray(body[key])) return body[key] as unknown[];
  const { writeKey: _key, ...row } = body;
  return [row];
}

/** Rows too deep or too large for one record are rejected by position before the kind reads the rest. */
function screen(rows: unknown[]): {
  kept: unknown[];
  positions: number[];
  refused: IngestResult["rejected"];
} {
  const kept: unknown[] = [];
  const positions: number[] = [];
  const refused: IngestResult["rejected"] = [];
  rows.forEach((row, index) => {
    const excess = tooMuch(row, MAX_DEPTH + 1, MAX_EVENT_BYTES);
    if (!isObject(row)) refused.push({ index, reason: "is not an object of fields" });
    else if (excess === "deep")
      refused.push({ index, reason: `is nested more than ${MAX_DEPTH} levels deep` });
    else if (excess === "large")
      refused.push({ index, reason: `is larger than ${MAX_EVENT_BYTES / 1024} KB` });
    else {
      kept.push(row);
      positions.push(index);
    }
  });
  return { kept, positions, refused };
}

/**
 * POST /v1/ingest/:kind — every kind of data Lift takes in (customers, orders,
 * campaigns, mentions, and what capabilities add), pushed with a write key,
 * within the limits of /v1/batch and answered in its shape: valid rows are
 * written and counted, the others listed by position with their reason; 400
 * only when nothing was valid. `POST /v1/mentions` is the same as
 * `/v1/ingest/mentions`.
 */
export function ingestRoutes(core: Core) {
  const app = new Hono();
  const push = async (request: Request, kindName: string) => {
    const header = request.headers.get("authorization") ?? undefined;
    const fromHeader = header ? await authenticate(core.keys, header, undefined) : null;
    // Unknown kinds are refused before the body is read, with the kinds there are.
    const kind = core.dataKinds().find((k) => k.name === kindName);
    if (!kind)
      throw new AppError("not_found", `“${kindName}” is not something Lift takes in`, {
        hint: `POST /v1/ingest/<kind>, kinds: ${core
          .dataKinds()
          .map((k) => k.name)
          .join(", ")}`,
      });
    const body = await readJsonBody(request, { authenticated: header !== undefined });
    const key =
      fromHeader ?? (await authenticate(core.keys, undefined, isObject(body) ? body["writeKey"] : undefined));
    const rows = rowsOf(body, kind.name);
    if (!rows)
      throw new AppError(
        "invalid_input",
        `Send \`{rows: [...]}\`, \`{${kind.name}: [...]}\`, an array of rows, or one row object`,
      );
    if (rows.length === 0) return { success: true, accepted: 0, updated: 0, duplicates: 0, rejected: [] };
    const { kept, positions, refused } = screen(rows);
    // Field names as an import reads them: `created_at` fills a customer's first_seen, `total` an order's amount.
    const cache = new Map<string, string | null>();
    const inputs = kept.map((row) => (isObject(row) ? objectToInput(kind, row, {}, cache) : row));
    const result =
      inputs.length > 0 ? await core.ingest(kind.name, inputs, { receivedAt: core.now() }) : null;
    const rejected = [
      ...refused,
      ...(result?.rejected ?? []).map((r) => ({ index: positions[r.index]!, reason: r.reason })),
    ].sort((a, b) => a.index - b.index);
    const accepted = result?.accepted ?? 0;
    const duplicates = result?.duplicates ?? 0;
    // A row that updated one stored before (or was older than it) was valid: never a 400 after a write.
    const updated = (result?.updated ?? 0) + (result?.stale ?? 0);
    if (accepted + duplicates + updated === 0)
      throw new NoneValid(`None of the ${rows.length} ${kind.name} rows is valid`, rejected);
    await core.keys.used(key);
    return { success: rejected.length < rows.length, accepted, updated, duplicates, rejected };
  };
  const handle = (kindOf: (c: Context) => string) => async (c: Context) => {
    try {
      return c.json(await push(c.req.raw, kindOf(c)));
    } catch (error) {
      const extra = error instanceof NoneValid ? { rejected: error.rejected } : {};
      return errorResponse(c, error, core.logger, extra);
    }
  };
  app.post(
    "/ingest/:kind",
    handle((c) => c.req.param("kind") ?? ""),
  );
  app.post(
    "/mentions",
    handle(() => "mentions"),
  );
  return app;
}
