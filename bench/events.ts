/*
 * The benchmarks' events, in a module of their own with no imports, so the load
 * client's process starts light.
 */

/**
 * A Segment-shaped event like the demo's, deterministic from `i`. Events come in visits of
 * three consecutive events by one person (as sessions arrive), and `people` people return.
 */
export function syntheticEvent(
  i: number,
  startMs: number,
  spacingMs: number,
  people: number,
): Record<string, unknown> {
  const person = (Math.floor(i / 3) * 7919) % people;
  // A storefront's mix: mostly page views; 5 % orders (the demo workspace has 2.5 %).
  const kinds = [
    ...Array<string>(14).fill("page"),
    "Product Added",
    "Product Added",
    "Product Added",
    "Experiment Viewed",
    "Signed Up",
    "Order Completed",
  ];
  const kind = kinds[i % kinds.length]!;
  const mediums = [null, "cpc", "email", "paid_social", "affiliate", null, null];
  const medium = mediums[(i >> 3) % mediums.length];
  return {
    type: kind === "page" ? "page" : "track",
    ...(kind === "page" ? { name: "/products/trail-runner" } : { event: kind }),
    anonymousId: `anon-${person}`,
    ...(person % 3 === 0 ? { userId: `user-${person}` } : {}),
    messageId: uuidFor(`bench-${i}`),
    timestamp: new Date(startMs + i * spacingMs).toISOString(),
    properties:
      kind === "Order Completed"
        ? { order_id: `order-${i}`, revenue: 40 + (i % 90), currency: "USD" }
        : kind === "Experiment Viewed"
          ? // A stable arm per person, as a testing tool assigns it.
            { experiment_id: "checkout-cta", variation_id: person % 2 ? "treatment" : "control" }
          : { path: "/products/trail-runner" },
    context: {
      page: {
        url: "https://liftoutfitters.example/products/trail-runner",
        referrer: medium === null && i % 2 ? "https://www.google.com/" : undefined,
      },
      ...(medium ? { campaign: { medium, source: "google", name: `campaign-${i % 12}` } } : {}),
      userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
    },
  };
}

/**
 * A UUID-shaped id fixed by `seed`, scattered as a client's random v4 UUIDs are: the unique index on
 * message_id sees keys in random order, as in production (sequential ids would flatter every writer).
 */
export function uuidFor(seed: string): string {
  // FNV-1a over the seed, then four rounds of a 32-bit mix (murmur3's finaliser) for 128 bits.
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  let hex = "";
  for (let round = 0; round < 4; round++) {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    hex += (h >>> 0).toString(16).padStart(8, "0");
    h = Math.imul(h + round + 1, 0x9e3779b1);
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/**
 * How clients make message ids: Segment's analytics.js and analytics-node since 2022 send
 * `<library>-next-<epoch ms>-<uuid v4>` (their changelog: "analytics-next-[epoch time]-[uuid]"), so ids
 * arrive nearly in key order; mobile SDKs send bare UUID v4s, in random key order. The unique index
 * on message_id costs far more for the second.
 */
export type IdForm = "time" | "uuid";

/** The `/v1/batch` bodies the load client sends: `requests` batches of `size` events, ids apart by `offset`. */
export function loadBatches(
  requests: number,
  size: number,
  offset: number,
  ids: IdForm = "time",
): Record<string, unknown>[][] {
  const start = Date.UTC(2026, 9, 1);
  const sent = Date.UTC(2026, 11, 1) + offset;
  return Array.from({ length: requests }, (_, r) =>
    Array.from({ length: size }, (_, i) => {
      const uuid = uuidFor(`load-${offset}-${r}-${i}`);
      return {
        ...syntheticEvent(r * size + i, start, 1_000, 50_000),
        messageId: ids === "time" ? `ajs-next-${sent + r}-${uuid}` : uuid,
      };
    }),
  );
}

/** An event as the events table stores it, with none of Lift's work: the baselines' rows. */
export function storedRow(event: Record<string, unknown>, receivedAt: number): unknown[] {
  const at = Date.parse(event["timestamp"] as string);
  return [
    event["messageId"],
    event["type"],
    (event["event"] ?? event["name"]) as string,
    (event["userId"] ?? event["anonymousId"]) as string,
    (event["userId"] ?? null) as string | null,
    event["anonymousId"],
    "direct",
    JSON.stringify(event["properties"]),
    JSON.stringify(event["context"]),
    at,
    new Date(at).toISOString().slice(0, 10),
    receivedAt,
  ];
}
