export { IMPORT_KINDS, type ImportKind, planColumns } from "./aliases.ts";
export { CHANNELS, type Channel, classifyChannel } from "./channel.ts";
export { type ImportOptions, type ImportSummary, importFile } from "./file-import.ts";
export { contentId } from "./ids.ts";
export { type MoneyPolicy, toReportingMoney } from "./money.ts";
export { addResults, emptyResult, type IngestResult, type Rejection } from "./result.ts";
export { type BatchOptions, Ingest, type IngestDeps } from "./service.ts";
export { type DateFormat, parseDateFormat, parseTimestamp } from "./values.ts";
export { type EventCommitter, WriterThread } from "./writer-thread.ts";
