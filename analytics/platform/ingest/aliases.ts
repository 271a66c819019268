import { AppError } from "../base/errors.ts";
import { readCell } from "../reports/csv.ts";
import type { DataKind } from "./kinds.ts";

/** A header as the alias tables write it: lower case, spaces and dashes as underscores. */
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
  /** Columns whose header says their times are UTC ("Created date (UTC)"): a time without an offset is read as UTC. */
  utc: boolean[];
}

const UTC_HEADER = /(^|[\s_(])(utc|gmt)([\s_)]|$)/i;
const NAIVE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/;

const NESTED = /^(properties|context|traits)\./;

/**
 * Decides which field each column fills: `--map col=field` first, then the
 * kind's alias table. Two columns for one field is an error that names both.
 */
export function planColumns(
  kind: DataKind,
  headers: string[],
  map: Record<string, string> = {},
  profileMap: Record<string, string> = {},
): ColumnPlan {
  const fields = Object.keys(kind.aliases);
  const explicit = new Map(Object.entries(map).map(([column, field]) => [normalizeHeader(column), field]));
  for (const [column, field] of explicit) {
    if (!headers.some((h) => normalizeHeader(h) === column)) {
      throw new AppError("invalid_input", `--map names column "${column}", which the file does not have`, {
        hint: `columns are: ${headers.join(", ")}`,
      });
    }
    const nested = kind.otherColumns === "properties" && NESTED.test(field);
    if (!fields.includes(field) && !nested && kind.otherColumns !== "traits") {
      throw new AppError(
        "invalid_input",
        `--map ${column}=${field}: "${field}" is not a ${kind.name} field`,
        {
          hint: `fields are: ${fields.join(", ")}`,
        },
      );
    }
  }
  // A platform's profile says which column fills which field; --map still wins.
  for (const [column, field] of Object.entries(profileMap)) {
    const key = normalizeHeader(column);
    if (!explicit.has(key) && headers.some((h) => normalizeHeader(h) === key)) explicit.set(key, field);
  }
  const chosen = new Set(explicit.values());
  const targets = headers.map((header): string | null => {
    const column = normalizeHeader(header);
    const mapped = explicit.get(column);
    if (mapped) return mapped;
    if (kind.otherColumns === "properties" && NESTED.test(header.trim())) return header.trim();
    const field = fields.find((f) => kind.aliases[f]!.includes(column));
    // A field a mapped column fills is not filled again by an alias (Shopify's Id beside its Name).
    if (field) return chosen.has(field) ? null : field;
    if (kind.otherColumns === "properties") return `properties.${header.trim()}`;
    if (kind.otherColumns === "traits") return column;
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
  return {
    targets,
    ignored: headers.filter((_, i) => targets[i] === null),
    utc: headers.map((header, i) => targets[i] !== null && UTC_HEADER.test(header)),
  };
}

/** The export profile (Shopify, Stripe, …) a file's headers match, if any. */
export function profileFor(kind: DataKind, headers: string[]) {
  const normalized = headers.map(normalizeHeader);
  return kind.profiles?.find((profile) => profile.matches(normalized)) ?? null;
}

/** One CSV record (strings) → an input object; empty cells are missing values; defused formulas are read back. */
export function recordToInput(values: string[], plan: ColumnPlan): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  plan.targets.forEach((target, i) => {
    const cell = values[i];
    if (target === null || cell === undefined || cell === "") return;
    let value = readCell(cell);
    if (plan.utc[i] && NAIVE_TIME.test(value)) value = `${value} UTC`;
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

/** An NDJSON object → the same object with its keys mapped to fields (events are taken as they are). */
export function objectToInput(
  kind: DataKind,
  object: Record<string, unknown>,
  userMap: Record<string, string>,
  cache: Map<string, string | null>,
): Record<string, unknown> {
  if (kind.otherColumns === "properties") return object;
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
