import { Registry } from "../base/registry.ts";
import { Random } from "./random.ts";

/** The demo workspace's settings: everything in it follows from these. */
export type DemoScale = "small" | "full";

export interface DemoOptions {
  seed: number;
  /** The last day of the 90 (in the reporting time zone). */
  end: string;
  scale: DemoScale;
  timeZone: string;
  /** Events after this instant are left out (when the end day is today). */
  until?: number;
  /** Prefix for generated ids (defaults to the seed); live runs use their own so nothing collides. */
  idPrefix?: string;
  /** Derive what the server's jobs would (segments, alerts) once the days are written (default true). */
  derive?: boolean;
}

export const DEMO_DAYS = 90;

/** Rows of one data kind, written through the ingest core as real data would arrive. */
export interface DemoBatch {
  kind: string;
  rows: Record<string, unknown>[];
}

/** What a demo part works with: its own random stream and what earlier parts share. */
export interface DemoContext {
  options: DemoOptions;
  /** The first of the 90 days. */
  start: string;
  /** This part's own stream: another part drawing more numbers never shifts it. */
  random: Random;
  /** What parts share (the visits part's per-campaign figures, the customers list), by key. */
  shared: Map<string, unknown>;
  /** Makes an id unique to this run ("msg-42-1a"). */
  id(prefix: string): string;
}

/**
 * A part of the demo workspace a capability contributes: rows before the days
 * (customers, campaign definitions) and rows for each day, in `order`.
 */
/** `Context`: what `finish` gets — the contributing capability's context (contract/capability.ts). */
export interface DemoPart<Context = unknown> {
  id: string;
  order: number;
  /** Part of the core tables (events, customers, orders): their hash is pinned by a test. */
  core?: boolean;
  setup?(context: DemoContext): DemoBatch[];
  day?(context: DemoContext, index: number, day: string): DemoBatch[];
  /**
   * For `lift demo --live`: starts what the part shows working live (a local
   * feed server its pulled sources read), says what it started, and stops it.
   */
  live?(): Promise<LiveDemoPart>;
  /**
   * After every day is written: what the server's jobs would derive from the data (segments
   * computed, alerts set), so every demo answer works from the CLI before a server has run.
   */
  finish?(context: Context): Promise<void>;
}

export interface LiveDemoPart {
  /** Lines for the person running the demo ("RSS feed at http://127.0.0.1:…/feed.xml"). */
  lines: string[];
  stop(): Promise<void>;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A stable hash of a text: experiment arms, per-part random streams. */
export const stableHash = fnv1a;

/** Each part's own stream, seeded from the demo seed and the part's id. */
export function streamFor(seed: number, partId: string): Random {
  return new Random(fnv1a(`${seed}:${partId}`));
}

export class DemoParts extends Registry<DemoPart> {
  constructor() {
    super(
      "demo part",
      (p) => p.id,
      (p) => p.order,
    );
  }
}
