import { describe, expect, it } from "vitest";
import {
  emailHash,
  readToken,
  signToken,
  signWebhook,
} from "../../../../analytics/capabilities/automations/signing.ts";
import {
  capUntil,
  nextLocalTime,
  quietUntil,
  readQuietHours,
} from "../../../../analytics/capabilities/automations/timing.ts";

const DAY = 86_400_000;

describe("quiet hours and the cap", () => {
  const quiet = readQuietHours("21:00-08:00");

  it("ends quiet hours at 08:00 local time on both sides of the autumn DST change in Berlin", () => {
    // 2026-10-25: 03:00 CEST → 02:00 CET. 23:00 CEST on the 24th is 21:00 UTC; 08:00 CET on the 25th is 07:00 UTC.
    expect(quietUntil(Date.parse("2026-10-24T21:00:00Z"), "Europe/Berlin", quiet)).toBe(
      Date.parse("2026-10-25T07:00:00Z"),
    );
    // 07:30 CEST on the 24th (05:30 UTC): quiet until 08:00 CEST, 06:00 UTC.
    expect(quietUntil(Date.parse("2026-10-24T05:30:00Z"), "Europe/Berlin", quiet)).toBe(
      Date.parse("2026-10-24T06:00:00Z"),
    );
    expect(quietUntil(Date.parse("2026-10-24T12:00:00Z"), "Europe/Berlin", quiet)).toBeNull();
    expect(quietUntil(Date.parse("2026-10-24T21:00:00Z"), "Europe/Berlin", null)).toBeNull();
  });

  it("reads daytime quiet hours and refuses nonsense", () => {
    const lunch = readQuietHours("12:00-13:30");
    expect(quietUntil(Date.parse("2026-06-01T12:10:00Z"), "UTC", lunch)).toBe(
      Date.parse("2026-06-01T13:30:00Z"),
    );
    expect(readQuietHours("off")).toBeNull();
    expect(() => readQuietHours("late")).toThrow(/21:00-08:00/);
    expect(() => readQuietHours("25:00-08:00")).toThrow();
  });

  it("lets a message go when fewer than the cap went in the last 7 days, else when the oldest counted leaves", () => {
    const at = Date.parse("2026-06-10T12:00:00Z");
    expect(capUntil([at - 8 * DAY, at - DAY], at, 2, 7 * DAY)).toBeNull();
    expect(capUntil([at - 3 * DAY, at - DAY, at - 2 * DAY], at, 3, 7 * DAY)).toBe(at - 3 * DAY + 7 * DAY);
    expect(capUntil([at - DAY, at - 2 * DAY], at, 2, 7 * DAY)).toBe(at - 2 * DAY + 7 * DAY);
  });

  it("waits until the next 09:00 in the customer's zone", () => {
    expect(nextLocalTime(Date.parse("2026-03-08T15:00:00Z"), 9, 0, "America/New_York")).toBe(
      Date.parse("2026-03-09T13:00:00Z"),
    );
    expect(nextLocalTime(Date.parse("2026-03-08T12:00:00Z"), 9, 0, "America/New_York")).toBe(
      Date.parse("2026-03-08T13:00:00Z"),
    );
  });
});

describe("keyed hashes and signed links", () => {
  const key = Buffer.alloc(32, 7);

  it("hashes an address as HMAC-SHA256 of its normalised form (reference: Python's hmac module)", () => {
    // hmac.new(bytes([7])*32, b'email:ana@example.com', hashlib.sha256).hexdigest()
    expect(emailHash(key, " Ana@Example.com ")).toBe(
      "5adc878baae7df0dc0f3049d1afc720a93abc9baca0cedd577e649bfb981e996",
    );
  });

  it("signs webhook bodies as t=…,v1=HMAC-SHA256 of t.body (reference: Python's hmac module)", () => {
    // hmac.new(b'whsec_test', b'1795532400.{"automation":"x"}', hashlib.sha256).hexdigest()
    expect(signWebhook("whsec_test", 1795532400, '{"automation":"x"}')).toBe(
      "t=1795532400,v1=990efd6bb90a1c325cdf4b2829c7a344f2de9d7badb45d784db439905b8c9d8d",
    );
  });

  it("reads back only the tokens it signed, for their purpose and target", () => {
    const token = signToken(key, "c", 12345, 2, "https://a.example.com");
    expect(readToken(key, "c", token, "https://a.example.com")).toEqual({ sendId: 12345, index: 2 });
    expect(readToken(key, "c", token, "https://evil.example.com")).toBeNull();
    expect(readToken(key, "u", token, "https://a.example.com")).toBeNull();
    expect(readToken(Buffer.alloc(32, 8), "c", token, "https://a.example.com")).toBeNull();
    expect(readToken(key, "c", token.replace(/^c[0-9a-z]+/, "c9iy"), "https://a.example.com")).toBeNull();
  });
});
