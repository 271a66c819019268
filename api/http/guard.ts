import type { MiddlewareHandler } from "hono";

/** The names a loopback-only Lift answers to. */
const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * DNS rebinding protection for the local console (no token in front of it):
 * a request whose Host is not the address Lift listens on — 127.0.0.1,
 * localhost or [::1], with its port — is refused, so a web page whose name
 * was pointed at 127.0.0.1 cannot read or change anything.
 */
export function loopbackHostGuard(port: () => number | null): MiddlewareHandler {
  return async (c, next) => {
    const host = (c.req.header("host") ?? "").toLowerCase();
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
    const listening = port();
    const allowed =
      match !== null &&
      LOOPBACK_NAMES.has(match[1]!) &&
      (listening === null || Number(match[2] ?? 80) === listening);
    if (allowed) return next();
    return c.json(
      {
        error: {
          code: "forbidden_host",
          message: `This Lift answers to 127.0.0.1, localhost and [::1]${listening ? ` on port ${listening}` : ""} only, not to “${host.slice(0, 100)}”`,
          hint: `open http://127.0.0.1:${listening ?? "<port>"}/ (or set HOST and use the console token to reach it by another name)`,
        },
      },
      403,
    );
  };
}
