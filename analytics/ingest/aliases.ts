import { AppError } from "../errors.ts";

export const IMPORT_KINDS = ["events", "customers", "orders", "campaigns", "mentions"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/**
 * Header names people use for each field (after lower-casing and turning
 * spaces and dashes into underscores). The first name is Lift's own.
 */
export const HEADER_ALIASES: Record<ImportKind, Record<string, string[]>> = {
  events: {
    type: ["type", "call", "event_type"],
    event: ["event", "event_name"],
    name: ["name", "page_name"],
    userId: ["userid", "user_id", "customer_id"],
    anonymousId: ["anonymousid", "anonymous_id", "anon_id", "device_id"],
    timestamp: ["timestamp", "time", "datetime", "created_at", "occurred_at"],
    messageId: ["messageid", "message_id", "event_id"],
  },
  customers: {
    id: ["id", "user_id", "userid", "customer_id", "customerid", "customer"],
    email: ["email", "e_mail", "email_address", "mail"],
    first_seen: ["first_seen", "created_at", "createdat", "signup_date", "signed_up_at", "joined", "created"],
    updated_at: ["updated_at", "updatedat", "modified", "last_modified", "modified_at"],
  },
  orders: {
    id: ["id", "order_id", "orderid", "order_number", "order_no", "transaction_id"],
    customer_id: ["customer_id", "user_id", "userid", "customer", "customerid"],
    amount: ["amount", "revenue", "total", "order_total", "value", "gross"],
    currency: ["currency", "currency_code"],
    timestamp: ["timestamp", "date", "created_at", "order_date", "ordered_at", "time", "datetime"],
    channel: ["channel", "marketing_channel", "source_channel"],
    campaign_id: ["campaign_id", "campaign", "utm_campaign"],
    updated_at: ["updated_at", "modified", "last_modified", "modified_at"],
  },
  campaigns: {
    id: ["id", "campaign_id", "campaignid"],
    name: ["name", "campaign_name", "campaign"],
    channel: ["channel", "marketing_channel"],
    day: ["day", "date", "report_date", "reporting_date"],
    impressions: ["impressions", "impr", "imps"],
    clicks: ["clicks", "link_clicks"],
    spend: ["spend", "cost", "amount_spent", "spent"],
    conversions: ["conversions", "conv", "results", "purchases"],
    revenue: ["revenue", "conversion_value", "conv_value", "purchase_value"],
    budget: ["budget", "total_budget", "lifetime_budget"],
    currency: ["currency", "currency_code"],
    start: ["start", "start_date", "starts", "starts_at"],
    end: ["end", "end_date", "ends", "ends_at"],
    updated_at: ["updated_at", "modified", "last_modified"],
  },
  mentions: {
    platform: ["platform", "network", "site", "source"],
    platform_id: ["platform_id", "id", "post_id", "tweet_id", "status_id"],
    url: ["url", "link", "permalink", "post_url"],
    author: ["author", "user", "username", "handle", "screen_name"],
    text: ["text", "body", "content", "message", "post", "caption"],
    lang: ["lang", "language"],
    timestamp: ["timestamp", "date", "created_at", "time", "posted_at", "published_at"],
    sentiment_score: ["sentiment_score", "sentiment", "score"],
  },
};

export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

export interface ColumnPlan {
  /** For each input column: the field it fills (a dotted path for nested ones), or null when ignored. */
  targets: (string | null)[];
  /** Input columns nothing reads, for the summary. */
  ignored: string[];
}

/**
 * Decides which field each column fills: `--map col=field` first, then the
 * alias table. Two columns for one field is an error that names both.
 */
export function planColumns(
  kind: ImportKind,
  headers: string[],
  map: Record<string, string> = {},
): ColumnPlan {
  const aliases = HEADER_ALIASES[kind];
  const fields = Object.keys(aliases);
  const explicit = new Map(Object.entries(map).map(([column, field]) => [normalizeHeader(column), field]));
  for (const [column, field] of explicit) {
    if (!headers.some((h) => normalizeHeader(h) === column)) {
      throw new AppError("invalid_input", `--map names column "${column}", which the file does not have`, {
        hint: `columns are: ${headers.join(", ")}`,
      });
    }
    const nested = kind === "events" && /^(properties|context|traits)\./.test(field);
    const customerTrait = kind === "customers";
    if (!fields.includes(field) && !nested && !customerTrait) {
      throw new AppError("invalid_input", `--map ${column}=${field}: "${field}" is not a ${kind} field`, {
        hint: `fields are: ${fields.join(", ")}`,
      });
    }
  }
  const targets = headers.map((header): string | null => {
    const column = normalizeHeader(header);
    const mapped = explicit.get(column);
    if (mapped) return mapped;
    if (kind === "events" && /^(properties|context|traits)\./.test(header.trim())) return header.trim();
    const field = fields.find((f) => aliases[f]!.includes(column));
    if (field) return field;
    if (kind === "events") return `properties.${header.trim()}`;
    if (kind === "customers") return column;
    return null;
  });
  const seen = new Map<string, string>();
  headers.forEach((header, i) => {
    const target = targets[i];
    if (target === null || target === undefined) return;
    const earlier = seen.get(target);
    if (earlier !== undefined) {
      throw new AppError("invalid_input", `Columns "${earlier}" and "${header}" both fill ${target}`, {
        hint: `choose one with --map, e.g. --map ${earlier}=${target}`,
      });
    }
    seen.set(target, header);
  });
  return { targets, ignored: headers.filter((_, i) => targets[i] === null) };
}

/** One CSV record (strings) → an input object; empty cells are missing values. */
export function recordToInput(values: string[], plan: ColumnPlan): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  plan.targets.forEach((target, i) => {
    const value = values[i];
    if (target === null || value === undefined || value === "") return;
    const dot = target.indexOf(".");
    if (dot > 0) {
      const head = target.slice(0, dot);
      const nested = (input[head] ?? {}) as Record<string, unknown>;
      nested[target.slice(dot + 1)] = value;
      input[head] = nested;
    } else input[target] = value;
  });
  return input;
}

/** An NDJSON object for a flat kind → the same object with its keys mapped to fields. */
export function objectToInput(
  kind: ImportKind,
  object: Record<string, unknown>,
  userMap: Record<string, string>,
  cache: Map<string, string | null>,
): Record<string, unknown> {
  if (kind === "events") return object;
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    let target = cache.get(key);
    if (target === undefined) {
      const mapped = userMap[key];
      target = mapped ?? planColumns(kind, [key]).targets[0] ?? null;
      cache.set(key, target);
    }
    if (target !== null && value !== null && value !== "") input[target] = value;
  }
  return input;
}
