export { demoOptionsFor, type SeedSummary, seedDemo } from "./seed.ts";
export {
  ANOMALY_DAYS_AGO,
  ANOMALY_FACTOR,
  CAMPAIGNS,
  DEMO_DAYS,
  type DemoOptions,
  type DemoScale,
  DemoWorld,
  EXPERIMENT,
  SPIKE_DAYS_AGO,
  variantFor,
} from "./world.ts";
