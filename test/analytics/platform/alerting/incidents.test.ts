import { describe, expect, it } from "vitest";
import {
  ALERT_COOLDOWN_MS,
  decideIncident,
  type IncidentState,
} from "../../../../analytics/platform/alerting/incidents.ts";

const NONE: IncidentState = { open: null, lastResolved: null };
const H = 3600_000;

describe("the incident lifecycle (one pure function for every alert kind)", () => {
  it("opens an incident once when a rule starts firing, and stays quiet while it lasts", () => {
    const first = decideIncident(7, NONE, { state: "firing", period: "2026-11-22" }, 0);
    expect(first).toEqual({ resolve: null, open: { key: "7:firing:2026-11-22", state: "firing" } });
    const open = { open: { key: "7:firing:2026-11-22", state: "firing" as const }, lastResolved: null };
    // The next day still breaches: the same incident, nothing to say.
    expect(decideIncident(7, open, { state: "firing", period: "2026-11-23" }, H)).toEqual({
      resolve: null,
      open: null,
    });
  });

  it("resolves in the incident's thread when the rule clears, and says nothing when it was never open", () => {
    const open = { open: { key: "7:firing:d", state: "firing" as const }, lastResolved: null };
    expect(decideIncident(7, open, { state: "ok", period: "e" }, H)).toEqual({
      resolve: { key: "7:firing:d", as: "resolved" },
      open: null,
    });
    expect(decideIncident(7, NONE, { state: "ok", period: "e" }, H)).toEqual({ resolve: null, open: null });
  });

  it("changes nothing when there is not enough data to tell", () => {
    const open = { open: { key: "7:firing:d", state: "firing" as const }, lastResolved: null };
    expect(decideIncident(7, open, { state: "unknown", period: "e" }, H)).toEqual({
      resolve: null,
      open: null,
    });
    expect(decideIncident(7, NONE, { state: "unknown", period: "e" }, H)).toEqual({
      resolve: null,
      open: null,
    });
  });

  it("keeps quiet for the cooldown after a resolution, so a flapping rule is one incident", () => {
    const resolved = { open: null, lastResolved: { state: "firing" as const, resolvedAt: 10 * H } };
    expect(
      decideIncident(7, resolved, { state: "firing", period: "x" }, 10 * H + ALERT_COOLDOWN_MS - 1).open,
    ).toBe(null);
    expect(
      decideIncident(7, resolved, { state: "firing", period: "x" }, 10 * H + ALERT_COOLDOWN_MS).open,
    ).toEqual({
      key: "7:firing:x",
      state: "firing",
    });
  });

  it("turns stale data into a real breach as two messages: data back, then the alert", () => {
    const stale = { open: { key: "7:stale:d", state: "stale" as const }, lastResolved: null };
    expect(decideIncident(7, stale, { state: "firing", period: "d" }, H)).toEqual({
      resolve: { key: "7:stale:d", as: "data_back" },
      open: { key: "7:firing:d", state: "firing" },
    });
  });

  it("treats another label of a firing kind as a new incident, not the old one flapping", () => {
    const winner = {
      open: { key: "7:firing:winner:e1", state: "firing" as const, label: "winner" },
      lastResolved: null,
    };
    expect(decideIncident(7, winner, { state: "firing", period: "e1", label: "srm" }, H)).toEqual({
      resolve: { key: "7:firing:winner:e1", as: "resolved" },
      open: { key: "7:firing:srm:e1", state: "firing" },
    });
    expect(decideIncident(7, winner, { state: "firing", period: "e1", label: "winner" }, H)).toEqual({
      resolve: null,
      open: null,
    });
  });
});
