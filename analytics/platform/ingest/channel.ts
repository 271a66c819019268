/**
 * Which marketing channel a visit came from. The table is documented in
 * README.md ("Definitions"); keep the two in step.
 *
 * 1. utm_medium (Segment's context.campaign.medium), with utm_source for social:
 *    cpc, ppc, paidsearch, paid_search, sem            → paid_search
 *    paid_social, paidsocial, social_paid, or cpc/cpm/paid
 *      from a social source (facebook, instagram, …)   → paid_social
 *    email, e-mail, newsletter                          → email
 *    affiliate, affiliates, partner                     → affiliate
 *    referral                                           → referral
 *    organic, social, organic_social                    → organic
 *    display, cpm, banner                               → paid_social when the source is social, else other
 *    anything else that is tagged                       → other
 * 2. No utm tags: the referrer's host.
 *    a search engine or a social network               → organic
 *    a webmail host                                     → email
 *    any other site (not the page's own host)           → referral
 * 3. Nothing: the visit carries no channel of its own and inherits the
 *    person's last non-direct channel, else direct.
 */

export const CHANNELS = [
  "organic",
  "paid_search",
  "paid_social",
  "email",
  "referral",
  "affiliate",
  "direct",
  "other",
] as const;
export type Channel = (typeof CHANNELS)[number];

/** How answers write each channel. */
export const CHANNEL_LABELS: Record<string, string> = {
  organic: "Organic",
  paid_search: "Paid search",
  paid_social: "Paid social",
  email: "Email",
  referral: "Referral",
  affiliate: "Affiliate",
  direct: "Direct",
  other: "Other",
};

export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

/** Names people give channels in files, questions and flags → Lift's channel. */
const CHANNEL_NAMES: Record<string, Channel> = {
  "paid search": "paid_search",
  sem: "paid_search",
  ppc: "paid_search",
  cpc: "paid_search",
  "search ads": "paid_search",
  "google ads": "paid_search",
  "paid social": "paid_social",
  social: "paid_social",
  "social ads": "paid_social",
  "facebook ads": "paid_social",
  "meta ads": "paid_social",
  seo: "organic",
  "organic search": "organic",
  "e mail": "email",
  emails: "email",
  newsletter: "email",
  referrals: "referral",
  affiliates: "affiliate",
};

/** A channel as people write it ("Paid search", "ppc", "seo") → one of Lift's channels, or null. */
export function channelNamed(words: string): Channel | null {
  const text = words
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");
  const channel = CHANNEL_NAMES[text] ?? text.replace(/ /g, "_");
  return (CHANNELS as readonly string[]).includes(channel) ? (channel as Channel) : null;
}

const PAID_SEARCH = new Set(["cpc", "ppc", "paidsearch", "paid_search", "paid-search", "sem"]);
const PAID_SOCIAL = new Set(["paid_social", "paidsocial", "paid-social", "social_paid", "social-paid"]);
const EMAIL = new Set(["email", "e-mail", "e_mail", "newsletter"]);
const AFFILIATE = new Set(["affiliate", "affiliates", "partner", "partners"]);
const ORGANIC = new Set(["organic", "social", "organic_social", "organic-social", "sm"]);
const DISPLAY = new Set(["display", "cpm", "banner", "paid"]);

const SOCIAL_HOST =
  /(^|\.)(facebook|fb|instagram|t|twitter|x|linkedin|lnkd|reddit|tiktok|youtube|pinterest|threads|snapchat)\.(com|co|in|net)$/;
const SOCIAL_SOURCE =
  /^(facebook|fb|meta|instagram|ig|twitter|x|linkedin|reddit|tiktok|youtube|pinterest|threads|snapchat)$/;
const SEARCH_HOST =
  /(^|\.)(google|bing|duckduckgo|yahoo|baidu|yandex|ecosia|search\.brave|startpage|qwant)\.[a-z.]+$/;
const WEBMAIL_HOST =
  /^(mail\.google\.com|outlook\.live\.com|outlook\.office\.com|mail\.yahoo\.com|mail\.proton\.me)$/;

export interface VisitTags {
  medium?: string | undefined;
  source?: string | undefined;
  referrer?: string | undefined;
  pageUrl?: string | undefined;
}

// The host of an absolute URL, without building a URL object (this runs for every page view).
const HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#:]+)/i;

function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  const host = HOST.exec(url)?.[1];
  return host ? host.toLowerCase().replace(/^www\./, "") : null;
}

/** The channel a visit's own tags point to, or null when it carries none. */
export function classifyChannel(tags: VisitTags): Channel | null {
  const medium = tags.medium?.trim().toLowerCase();
  const source = tags.source?.trim().toLowerCase() ?? "";
  if (medium) {
    const social = SOCIAL_SOURCE.test(source);
    if (PAID_SEARCH.has(medium)) return social ? "paid_social" : "paid_search";
    if (PAID_SOCIAL.has(medium)) return "paid_social";
    if (EMAIL.has(medium)) return "email";
    if (AFFILIATE.has(medium)) return "affiliate";
    if (medium === "referral") return "referral";
    if (ORGANIC.has(medium)) return "organic";
    if (DISPLAY.has(medium)) return social ? "paid_social" : "other";
    return "other";
  }
  const referrer = hostOf(tags.referrer);
  if (!referrer) return null;
  if (referrer === hostOf(tags.pageUrl)) return null;
  if (WEBMAIL_HOST.test(referrer)) return "email";
  if (SEARCH_HOST.test(referrer) || SOCIAL_HOST.test(referrer)) return "organic";
  return "referral";
}

export const CHANNEL_ALTERNATION =
  "paid search|paid_search|sem|ppc|search ads|google ads|paid social|paid_social|social ads|facebook ads|meta ads|organic search|organic|seo|e-mail|email|emails|newsletter|referrals|referral|affiliates|affiliate|direct|other";
