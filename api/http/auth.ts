import { AppError } from "../../analytics/platform/base/errors.ts";
import type { WriteKeys } from "../../analytics/platform/keys/index.ts";

/**
 * Segment authenticates with HTTP Basic: the write key as the user name and
 * an empty password. Its libraries also put `writeKey` in the body, which we
 * accept when there is no header.
 */
export async function authenticate(
  keys: WriteKeys,
  header: string | undefined,
  bodyKey: unknown,
): Promise<number> {
  let key: string | null = null;
  if (header?.startsWith("Basic ")) {
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    key = decoded.split(":")[0] ?? null;
  } else if (typeof bodyKey === "string") key = bodyKey;
  if (!key) {
    throw new AppError("unauthorized", "A write key is required", {
      hint: "send it as the HTTP Basic user name (create one with `lift keys create NAME`)",
    });
  }
  const id = await keys.verify(key);
  if (id === null)
    throw new AppError("unauthorized", "That write key is not valid or was revoked", {
      hint: "lift keys list",
    });
  return id;
}
