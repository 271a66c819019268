import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, prettyLine, scrub } from "../../../../analytics/platform/base/log.ts";

describe("logging", () => {
  it("keeps tokens, emails and phone numbers out of log lines", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger("info", sink);
    logger.info(
      { email: "ana@example.com", token: "xoxb-1234567890-abcdef", user: { phone: "+49 170 1234567" } },
      "hello ana@example.com",
    );
    logger.error(
      { err: new Error("bad key lift_wk_abcdefghijklmnop for bob@example.org") },
      "failed with xapp-1-A0B1C2D3E4F5",
    );
    // A remote server's words in a field (a CRM naming the address it refused).
    logger.warn(
      { provider: "hubspot", error: "HubSpot answered 400: Email address carl@example.net is invalid" },
      "CRM push stopped",
    );
    const output = lines.join("");
    expect(output).toContain("Email address [email] is invalid");
    expect(output).not.toMatch(
      /ana@example\.com|bob@example\.org|carl@example\.net|xoxb-|xapp-1|lift_wk_abc|170 1234567/,
    );
    expect(output).toContain("[redacted]");
    expect(output).toContain("[email]");
  });

  it("scrubs free text", () => {
    expect(scrub("call +1 (555) 123-4567 or mail a.b@c.io with sk-abcdefghij1234")).toBe(
      "call [phone] or mail [email] with [token]",
    );
  });

  it("writes lines for people on a terminal: time, level, message, a few fields, colour", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger("info", sink, { format: "pretty" });
    logger.warn(
      { source: 3, error: "the feed answered 500", email: "ana@example.com" },
      "a source failed to pull",
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d WARN {2}a source failed to pull {2}source=3 error="the feed answered 500" email=\[redacted\]\n$/,
    );
    const coloured = prettyLine(JSON.stringify({ level: 50, time: 0, msg: "boom" }), true);
    expect(coloured).toContain("\x1b[31mERROR\x1b[0m boom");
    // Anything that is not a JSON line passes through as it is.
    expect(prettyLine("plain", false)).toBe("plain");
  });
});
