/** What every ingest call answers: counts, and each rejected row with its reason. */
export interface IngestResult {
  accepted: number;
  updated: number;
  duplicates: number;
  /** Upserts older than the stored row: left alone. */
  stale: number;
  rejected: Rejection[];
}

export interface Rejection {
  /** Position in the batch (0-based); file imports report rows 1-based. */
  index: number;
  reason: string;
}

export function emptyResult(): IngestResult {
  return { accepted: 0, updated: 0, duplicates: 0, stale: 0, rejected: [] };
}

export function addResults(into: IngestResult, from: IngestResult): IngestResult {
  into.accepted += from.accepted;
  into.updated += from.updated;
  into.duplicates += from.duplicates;
  into.stale += from.stale;
  into.rejected.push(...from.rejected);
  return into;
}
