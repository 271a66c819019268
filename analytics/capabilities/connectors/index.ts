import { contribute, defineCapability } from "../../platform/contract/capability.ts";
import { connectorPoint } from "../sources/index.ts";
import { googleAdsConnector } from "./google-ads.ts";
import { metaAdsConnector } from "./meta-ads.ts";
import { connectorSettings } from "./settings.ts";
import { shopifyConnector } from "./shopify.ts";
import { stripeConnector } from "./stripe.ts";
import { paymentRows, shopRows, webhookRoutes } from "./webhooks.ts";

/**
 * Data that arrives by itself: Google Ads and Meta Ads spend pulled into campaigns' days,
 * Shopify and Stripe orders pushed by signed webhooks and pulled to reconcile — more connectors
 * of the sources capability (cursors, schedules, status, backoff), and the webhooks' routes.
 */
export const connectors = defineCapability({
  name: "connectors",
  summary:
    "Ad and shop connectors: Google Ads and Meta Ads spend; Shopify and Stripe orders by webhook and pull",
  settings: connectorSettings,
  setup(context) {
    const settings = () => context.settings;
    return {
      routes: webhookRoutes(settings),
      extensions: [
        contribute(
          connectorPoint,
          googleAdsConnector(settings),
          metaAdsConnector(settings),
          shopifyConnector(settings, (orders) => shopRows(context, orders)),
          stripeConnector(settings, (payments, now) => paymentRows(context, payments, now)),
        ),
      ],
    };
  },
});
