import { describe, expect, it } from "vitest";
import { channelNamed, classifyChannel } from "../../../../analytics/platform/ingest/channel.ts";

describe("channel table", () => {
  it.each([
    [{ medium: "cpc", source: "google" }, "paid_search"],
    [{ medium: "CPC", source: "facebook" }, "paid_social"],
    [{ medium: "paid_social", source: "tiktok" }, "paid_social"],
    [{ medium: "email", source: "newsletter" }, "email"],
    [{ medium: "affiliate" }, "affiliate"],
    [{ medium: "referral" }, "referral"],
    [{ medium: "social", source: "twitter" }, "organic"],
    [{ medium: "display", source: "gdn" }, "other"],
    [{ medium: "podcast" }, "other"],
    [{ referrer: "https://www.google.com/" }, "organic"],
    [{ referrer: "https://t.co/abc" }, "organic"],
    [{ referrer: "https://mail.google.com/mail/u/0" }, "email"],
    [{ referrer: "https://someblog.example/post", pageUrl: "https://shop.example/" }, "referral"],
  ] as const)("classifies %o as %s", (tags, channel) => {
    expect(classifyChannel(tags)).toBe(channel);
  });

  it("gives no channel to an untagged visit or an internal referrer (it inherits)", () => {
    expect(classifyChannel({})).toBeNull();
    expect(
      classifyChannel({ referrer: "https://shop.example/a", pageUrl: "https://www.shop.example/b" }),
    ).toBeNull();
    expect(classifyChannel({ referrer: "not a url" })).toBeNull();
  });
});

describe("channel names people write", () => {
  it.each([
    ["Paid search", "paid_search"],
    ["paid-search", "paid_search"],
    ["paid_search", "paid_search"],
    ["PPC", "paid_search"],
    ["google ads", "paid_search"],
    ["Social", "paid_social"],
    ["meta ads", "paid_social"],
    ["SEO", "organic"],
    ["e-mail", "email"],
    ["Newsletter", "email"],
    ["referrals", "referral"],
    ["affiliates", "affiliate"],
    [" direct ", "direct"],
  ] as const)("reads “%s” as %s", (words, channel) => {
    expect(channelNamed(words)).toBe(channel);
  });

  it("knows no channel called tv or print", () => {
    expect(channelNamed("tv")).toBeNull();
    expect(channelNamed("print ads")).toBeNull();
  });
});
