import { z } from "zod";
import { optionalText } from "../../platform/contract/settings.ts";

/**
 * The ad and shop connectors' settings: each platform's credentials, and where its API is
 * (another server, as SLACK_API_URL does for Slack). A connector without its credentials can
 * still be added, and says at its first pull what to set.
 */
export const connectorSettings = z.object({
  GOOGLE_ADS_BASE_URL: z.url().default("https://googleads.googleapis.com"),
  GOOGLE_ADS_API_VERSION: z
    .string()
    .trim()
    .regex(/^v\d+$/, "must be a Google Ads API version such as v21")
    .default("v21"),
  GOOGLE_OAUTH_TOKEN_URL: z.url().default("https://oauth2.googleapis.com/token"),
  GOOGLE_ADS_DEVELOPER_TOKEN: optionalText,
  GOOGLE_ADS_CLIENT_ID: optionalText,
  GOOGLE_ADS_CLIENT_SECRET: optionalText,
  GOOGLE_ADS_REFRESH_TOKEN: optionalText,
  /** The manager account the calls go through, when there is one (digits). */
  GOOGLE_ADS_LOGIN_CUSTOMER_ID: optionalText,
  META_GRAPH_URL: z.url().default("https://graph.facebook.com/v21.0"),
  META_ACCESS_TOKEN: optionalText,
  /** Shopify: the shop's address (https://example.myshopify.com), an Admin API token, the webhooks' secret. */
  SHOPIFY_SHOP_URL: optionalText.pipe(z.url().optional()),
  SHOPIFY_ACCESS_TOKEN: optionalText,
  SHOPIFY_API_VERSION: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}$/, "must be an Admin API version such as 2025-07")
    .default("2025-07"),
  SHOPIFY_WEBHOOK_SECRET: optionalText,
  STRIPE_API_BASE: z.url().default("https://api.stripe.com"),
  STRIPE_API_KEY: optionalText,
  STRIPE_WEBHOOK_SECRET: optionalText,
  /** Ad platforms restate recent days and shops refund recent orders: each pull reads these days again. */
  LIFT_CONNECTORS_REREAD_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** The first pull of an ad account reads this many days back. */
  LIFT_ADS_BACKFILL_DAYS: z.coerce.number().int().min(1).max(1095).default(90),
});

export type ConnectorSettings = z.infer<typeof connectorSettings>;
