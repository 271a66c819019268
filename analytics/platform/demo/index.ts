export {
  ADD_TO_CART,
  ANOMALY_DAYS_AGO,
  ANOMALY_FACTOR,
  ANOMALY_TRAFFIC,
  ascii,
  CAMPAIGNS,
  CHANNEL_MIX,
  type ChannelKey,
  type DemoCampaign,
  ORDER_AFTER_ADD,
  PRODUCTS,
  SCALES,
  SITE,
  WEEKDAY_FACTOR,
} from "./catalogue.ts";
export {
  DEMO_DAYS,
  type DemoBatch,
  type DemoContext,
  type DemoOptions,
  type DemoPart,
  DemoParts,
  type DemoScale,
  type LiveDemoPart,
  stableHash,
  streamFor,
} from "./parts.ts";
export { Random } from "./random.ts";
export { demoOptionsFor, liveVisits, type SeedSummary, seedDemo } from "./seed.ts";
export { COUNTRIES, FIRST_NAMES, type MentionMood, mentionText } from "./texts.ts";
export {
  type CampaignDayStats,
  campaignStatsKey,
  customersPart,
  type DemoCustomer,
  localHourTime,
  plantedOrderRow,
  visitsPart,
} from "./visits.ts";
