export {
  type AlertContext,
  type AlertKind,
  AlertKinds,
  type AlertRule,
  type AlertSubject,
  type AlertWindow,
  type ContextProvider,
  ContextProviders,
  type Evaluation,
  every,
} from "./alert-kinds.ts";
export { DeliveryQueue, MAX_ATTEMPTS } from "./delivery.ts";
export {
  buildDigest,
  type DigestContext,
  type DigestPart,
  type DigestSection,
  DigestSections,
  digestPeriod,
} from "./digest.ts";
export {
  ConsoleFeed,
  type FailedDelivery,
  type FeedItem,
  listFailedDeliveries,
  routeNotifier,
} from "./feed.ts";
export { ALERT_COOLDOWN_MS, decideIncident, type IncidentDecision, type IncidentState } from "./incidents.ts";
export { JOB_MAX_ATTEMPTS, JOB_STALE_MS, retryJobRuns, runJobOnce } from "./job-runs.ts";
export { type Job, type JobContext, JobRegistry } from "./jobs.ts";
export { type Delivered, DeliveryError, type Notifier } from "./notifier.ts";
export { daySetsJob, subscriptionsJob } from "./platform-jobs.ts";
export { describeSchedule, nextRunAt, readSchedule, type Schedule } from "./schedule.ts";
export {
  type IncidentPayload,
  incidentPayload,
  isMuted,
  Schedules,
  type Subscription,
  type SubscriptionOptions,
} from "./subscriptions.ts";
