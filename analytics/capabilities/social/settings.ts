import { z } from "zod";
import { optionalText, optionalUrl } from "../../platform/contract/settings.ts";

/** The social capability's settings: where its connectors go, and the credentials two of them need. */
export const socialSettings = z.object({
  /** Where the social connectors go (self-hosted instances, or a test's local server). */
  LIFT_MASTODON_URL: optionalUrl,
  LIFT_HN_URL: optionalUrl,
  LIFT_REDDIT_AUTH_URL: optionalUrl,
  LIFT_REDDIT_API_URL: optionalUrl,
  LIFT_BLUESKY_URL: optionalUrl,
  /** Reddit search: a "script" app's id and secret (reddit.com/prefs/apps). */
  REDDIT_CLIENT_ID: optionalText,
  REDDIT_CLIENT_SECRET: optionalText,
  /** Bluesky search: a handle and an app password (Settings › App passwords). */
  BLUESKY_HANDLE: optionalText,
  BLUESKY_APP_PASSWORD: optionalText,
});

export type SocialSettings = z.infer<typeof socialSettings>;
