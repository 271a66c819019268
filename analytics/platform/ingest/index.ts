export { normalizeHeader, objectToInput, planColumns } from "./aliases.ts";
export { CHANNELS, type Channel, channelNamed, classifyChannel } from "./channel.ts";
export { channelName, stringOrUndefined } from "./fields.ts";
export { type ImportOptions, type ImportSummary, importFile, sniffDelimiter } from "./file-import.ts";
export { DELIMITERS, MAX_CSV_RECORD_BYTES } from "./file-read.ts";
export type { Written } from "./group-commit.ts";
export { contentId } from "./ids.ts";
export { customersKind } from "./kinds/customers.ts";
export { eventsKind } from "./kinds/events.ts";
export { ordersKind } from "./kinds/orders.ts";
export { type DataKind, DataKinds, type NormalizeContext, type Normalized } from "./kinds.ts";
export { type MoneyPolicy, toReportingMoney } from "./money.ts";
export type { EventObserver, ObservedEvent } from "./observers.ts";
export { addResults, emptyResult, type IngestResult, type Rejection } from "./result.ts";
export { cell, describeIssues, optionalText, readRow, requiredText } from "./schemas.ts";
export { readSeriesPoints, type SeriesPoint } from "./series-csv.ts";
export { type BatchOptions, Ingest, type IngestDeps } from "./service.ts";
export { hasNul, MAX_DEPTH, MAX_EVENT_BYTES, NUL_MESSAGE, tooMuch, withinDepth } from "./text.ts";
export {
  type DateFormat,
  type Parsed,
  parseCount,
  parseDateFormat,
  parseNumber,
  parseTimestamp,
} from "./values.ts";
export { type EventCommitter, WriterThread } from "./writer-thread.ts";
