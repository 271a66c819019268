import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitFromJson, fitToJson } from "../../analytics/capabilities/predict/fit-json.ts";
import { changedTables, type FuzzLift, fingerprint, sign, startFuzzLift } from "./lift-app.ts";

/* What the fuzzer found, each kept as a test of its own (STYLE.md). */

let lift: FuzzLift;
beforeAll(async () => {
  lift = await startFuzzLift();
}, 120_000);
afterAll(async () => {
  await lift?.close();
});

const basic = () => `Basic ${Buffer.from(`${lift.writeKey}:`).toString("base64")}`;

async function slack(body: string, type = "application/json") {
  const response = await lift.app.request("/slack/events", {
    method: "POST",
    headers: { "content-type": type, ...sign.slack(body) },
    body,
  });
  return { status: response.status, body: await response.text() };
}

describe("what the fuzzer found", () => {
  it("answers 400, not 500, to signed Slack bodies no Slack request looks like", async () => {
    const event = (e: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ type: "event_callback", team_id: "T0LIFT", event_id: "Ev0X", event: e, ...extra });
    for (const body of [
      event(""),
      JSON.stringify({ type: {}, event: "" }),
      event({ type: "app_home_opened", user: null, tab: "home" }),
      event({ type: "app_home_opened", user: "U0X", tab: "home" }, { team_id: "constructor" }),
      event({ type: "__proto__", user: "U0X" }),
      event({ type: "app_mention", user: "U0X", text: "<@U0LIFT> hi", channel: null, ts: "1.1" }),
    ])
      expect((await slack(body)).status, body).toBe(400);
    const action = (payload: Record<string, unknown>) =>
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const click = {
      type: "block_actions",
      user: { id: "U0X" },
      team: { id: "T0LIFT" },
      response_url: lift.responseUrl,
      actions: [{ action_id: "lift_post_to_channel", value: "1", type: "button" }],
    };
    expect(
      (await slack(action({ ...click, channel: null }), "application/x-www-form-urlencoded")).status,
    ).toBe(400);
    expect(
      (await slack(action({ ...click, type: undefined }), "application/x-www-form-urlencoded")).status,
    ).toBe(400);
    expect(
      (await slack(action({ ...click, team: { id: ["T0LIFT"] } }), "application/x-www-form-urlencoded"))
        .status,
    ).toBe(400);
  });

  it("answers a push that only updates rows 200 with what it updated, and refuses a row that is not an object", async () => {
    const push = (body: unknown) =>
      lift.app.request("/v1/ingest/customers", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: basic() },
        body: JSON.stringify(body),
      });
    const row = { id: "c-found", email: "found@example.com", first_seen: "2026-11-01T00:00:00Z" };
    expect((await push([row])).status).toBe(200);
    const again = await push([{ ...row, traits: { plan: "pro" } }]);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ accepted: 0, updated: 1 });
    const refused = await push([null]);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      rejected: [{ index: 0, reason: "is not an object of fields" }],
    });
  });

  it("writes nothing, not even a key's last use, for a tracking call it refuses", async () => {
    const before = fingerprint(lift.db);
    const refused = await lift.app.request("/v1/track", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ writeKey: lift.writeKey, event: "", userId: "c1" }),
    });
    expect(refused.status).toBe(400);
    expect(changedTables(before, fingerprint(lift.db))).toEqual([]);
  });

  it("keeps a fit's NaN and Infinity through the JSON it is stored as", () => {
    const fit = fitFromJson<{ r: number; a: number[]; b: null }>(
      fitToJson({ r: Number.NaN, a: [Infinity, 1], b: null }),
    );
    expect(fit.r).toBeNaN();
    expect(fit.a).toEqual([Infinity, 1]);
    expect(fit.b).toBeNull();
  });
});
