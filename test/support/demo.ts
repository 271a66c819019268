/** The one small demo workspace the integration tests share (built once in global setup). */
export const DEMO = {
  seed: 7,
  end: "2026-11-22",
  scale: "small",
  timeZone: "Europe/Berlin",
  currency: "USD",
} as const;

/** "Now" for tests on the demo: the morning after its last day. */
export const DEMO_NOW = Date.parse("2026-11-23T08:30:00Z");
