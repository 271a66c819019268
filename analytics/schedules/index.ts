export { type AlertRule, describeRule, evaluateRule, parseAlertRule } from "./alerts.ts";
export { seasonalBand } from "./anomaly.ts";
export { DeliveryQueue, MAX_ATTEMPTS } from "./delivery.ts";
export { buildDigest, createDigestSections, type DigestSection, DigestSections } from "./digest.ts";
export {
  ConsoleFeed,
  type FailedDelivery,
  type FeedItem,
  listFailedDeliveries,
  routeNotifier,
} from "./feed.ts";
export { type Delivered, DeliveryError, type Notifier } from "./notifier.ts";
export { describeSchedule, nextRunAt, readSchedule, type Schedule } from "./schedule.ts";
export { Schedules, type Subscription } from "./subscriptions.ts";
