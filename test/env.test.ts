import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../env.ts";

describe("configuration", () => {
  it("has defaults that run locally", () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.LIFT_TIMEZONE).toBe("UTC");
    expect(config.LIFT_CURRENCY).toBe("USD");
    expect(config.DATABASE_URL).toMatch(/\/data\/lift\.db$/);
  });

  it("accepts a file: URL or a path for DATABASE_URL", () => {
    expect(parseConfig({ DATABASE_URL: "file:///srv/lift/x.db" }).DATABASE_URL).toBe("/srv/lift/x.db");
    expect(parseConfig({ DATABASE_URL: "/tmp/y.db" }).DATABASE_URL).toBe("/tmp/y.db");
  });

  it("reports every wrong value on a line of its own, never echoing secrets", () => {
    let error: ConfigError | undefined;
    try {
      parseConfig({
        PORT: "eighty",
        LIFT_TIMEZONE: "Mars/Olympus",
        LIFT_CURRENCY: "EURO",
        SLACK_API_URL: "not a url",
        LIFT_FX_RATES: "EUR=1.1,GBP",
      });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(5);
    expect(error!.problems.find((p) => p.startsWith("LIFT_TIMEZONE"))).toBe(
      'LIFT_TIMEZONE is not an IANA time zone (e.g. Europe/Berlin, America/New_York) (got "Mars/Olympus")',
    );
    expect(error!.problems.find((p) => p.startsWith("LIFT_FX_RATES"))).toContain('"GBP" is not CODE=rate');
  });

  it("refuses PostgreSQL until it is supported", () => {
    expect(() => parseConfig({ DATABASE_URL: "postgres://x@y/z" })).toThrow(
      /PostgreSQL is not supported yet/,
    );
  });

  it("parses exchange rates", () => {
    expect(parseConfig({ LIFT_FX_RATES: "eur=1.08, GBP=1.27" }).LIFT_FX_RATES).toEqual({
      EUR: 1.08,
      GBP: 1.27,
    });
  });
});
