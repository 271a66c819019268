import { describe, expect, it } from "vitest";
import { plainText } from "../../../bot/slack/answers.ts";
import { explainSlackError, slackErrorCode } from "../../../bot/slack/errors.ts";
import { slackSignature, verifySlackRequest } from "../../../bot/slack/signature.ts";

// Slack's worked example (docs.slack.dev/authentication/verifying-requests-from-slack):
// secret, timestamp and body as published, and the signature Slack computes for them.
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TIMESTAMP = "1531420618";
const BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

describe("Slack request signatures", () => {
  it("computes Slack's published example signature", () => {
    expect(slackSignature(SECRET, TIMESTAMP, BODY)).toBe(SIGNATURE);
  });

  it("accepts a request signed with the secret within five minutes", () => {
    const now = Number(TIMESTAMP) + 299;
    expect(verifySlackRequest(SECRET, { signature: SIGNATURE, timestamp: TIMESTAMP }, BODY, now)).toEqual({
      ok: true,
    });
  });

  it("rejects a request whose signature is older than five minutes", () => {
    const check = verifySlackRequest(
      SECRET,
      { signature: SIGNATURE, timestamp: TIMESTAMP },
      BODY,
      Number(TIMESTAMP) + 301,
    );
    expect(check).toMatchObject({ ok: false, reason: expect.stringMatching(/five minutes/) });
  });

  it("rejects a changed body, a wrong secret and missing headers", () => {
    const now = Number(TIMESTAMP);
    expect(
      verifySlackRequest(SECRET, { signature: SIGNATURE, timestamp: TIMESTAMP }, `${BODY}x`, now).ok,
    ).toBe(false);
    expect(
      verifySlackRequest("another-secret", { signature: SIGNATURE, timestamp: TIMESTAMP }, BODY, now).ok,
    ).toBe(false);
    expect(verifySlackRequest(SECRET, { signature: undefined, timestamp: TIMESTAMP }, BODY, now).ok).toBe(
      false,
    );
    expect(verifySlackRequest(SECRET, { signature: SIGNATURE, timestamp: "soon" }, BODY, now).ok).toBe(false);
  });
});

describe("Slack text and errors", () => {
  it("reads what the person typed out of Slack's markup", () => {
    expect(plainText("<@U0LIFT> revenue by channel &amp; orders")).toBe("revenue by channel & orders");
    expect(plainText("<@U0LIFT|lift> subscribe digest daily 09:00 <#C0MKT|marketing>")).toBe(
      "subscribe digest daily 09:00 <#C0MKT>",
    );
    expect(plainText("funnel page &gt; Order Completed")).toBe("funnel page > Order Completed");
  });

  it("turns Slack error codes into what to do", () => {
    expect(
      slackErrorCode({ code: "slack_webapi_platform_error", data: { ok: false, error: "not_in_channel" } }),
    ).toBe("not_in_channel");
    expect(slackErrorCode({ code: "slack_webapi_rate_limited_error" })).toBe("ratelimited");
    expect(explainSlackError("not_in_channel")).toContain("/invite @Lift");
    expect(explainSlackError("channel_not_found")).toMatch(/private/);
    expect(explainSlackError("weird_error")).toMatch(/\(weird_error\)/);
  });
});
