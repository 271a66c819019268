import { dbOf, type Tables } from "../client.ts";
import { personalTrait } from "../sealer.ts";

/*
 * Segment rules compiled to one parameterised query over each customer's
 * orders (analytics/segments/rules.ts reads the words into this tree). Every
 * value is a parameter; field and trait names are checked against a pattern
 * before they reach the SQL.
 */

export type Operator = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type Value =
  | { kind: "number"; value: number }
  | { kind: "duration"; days: number; text: string }
  | { kind: "text"; value: string };

export type Rule =
  | { kind: "and" | "or"; left: Rule; right: Rule }
  | { kind: "not"; rule: Rule }
  | { kind: "compare"; field: string; op: Operator; value: Value }
  | { kind: "in"; field: string; negated: boolean; values: Value[] }
  | { kind: "segment"; name: string }
  | { kind: "did"; event: string; withinDays: number | null };

export interface CompileContext {
  /** The instant "days ago" counts from. */
  asOfMs: number;
  /** Minor units per major unit of the reporting currency (100 for USD). */
  minorPerMajor: number;
  /** Segment name → id (saved and RFM segments). */
  segmentIds: Map<string, number>;
  /** Fields other capabilities keep (rule field name → each customer's value), read from a temp table. */
  external?: Map<string, Map<string, number | string>>;
}

const TRAIT = /^[a-z_][a-z0-9_]*$/;
const DAY = 86_400_000;

function column(field: string, context: CompileContext): { sql: string; scale: (v: Value) => unknown } {
  const number = (v: Value) => (v.kind === "number" ? v.value : v.kind === "duration" ? v.days : v.value);
  switch (field) {
    case "orders":
      return { sql: "c.orders", scale: number };
    case "revenue":
      return { sql: "c.revenue_minor", scale: (v) => Number(number(v)) * context.minorPerMajor };
    case "aov":
      return {
        sql: "(c.revenue_minor * 1.0 / c.orders)",
        scale: (v) => Number(number(v)) * context.minorPerMajor,
      };
    case "last_order":
      return { sql: `((${context.asOfMs} - c.last_at) / ${DAY}.0)`, scale: number };
    case "first_order":
      return { sql: `((${context.asOfMs} - c.first_at) / ${DAY}.0)`, scale: number };
    case "channel":
      return { sql: "c.channel", scale: (v) => String(number(v)).toLowerCase().replace(/\s+/g, "_") };
    case "email":
      // Sealed at rest: opened to be compared (a rule may ask for a domain, not one address).
      return { sql: "lower(lift_email(cu.email))", scale: (v) => String(number(v)).toLowerCase() };
    default:
      if (context.external?.has(field))
        return {
          sql: `(SELECT value FROM temp.segment_field_values v WHERE v.field = '${field}' AND v.person_id = c.id)`,
          scale: (v) => number(v),
        };
      if (!TRAIT.test(field)) throw new Error(`not a trait name: ${field}`);
      // A personal trait (a name) is sealed with the email: read from the customer opened.
      return {
        sql: personalTrait(field)
          ? `json_extract(lift_traits(cu.traits, cu.email), '$.${field}')`
          : `json_extract(cu.traits, '$.${field}')`,
        scale: (v) => number(v),
      };
  }
}

function compile(rule: Rule, context: CompileContext, args: unknown[]): string {
  switch (rule.kind) {
    case "and":
    case "or":
      return `(${compile(rule.left, context, args)} ${rule.kind.toUpperCase()} ${compile(rule.right, context, args)})`;
    case "not":
      return `(NOT coalesce(${compile(rule.rule, context, args)}, 0))`;
    case "compare": {
      const { sql, scale } = column(rule.field, context);
      args.push(scale(rule.value));
      return `(${sql} ${rule.op} ?)`;
    }
    case "in": {
      const { sql, scale } = column(rule.field, context);
      for (const v of rule.values) args.push(scale(v));
      return `(${sql} ${rule.negated ? "NOT IN" : "IN"} (${rule.values.map(() => "?").join(", ")}))`;
    }
    case "segment": {
      args.push(context.segmentIds.get(rule.name) ?? -1);
      return "(c.id IN (SELECT person_id FROM segment_members WHERE segment_id = ?))";
    }
    case "did": {
      args.push(
        rule.event,
        rule.withinDays === null ? 0 : context.asOfMs - rule.withinDays * DAY,
        context.asOfMs,
      );
      return "(EXISTS (SELECT 1 FROM events e WHERE e.person_id = c.id AND e.event = ? AND e.timestamp >= ? AND e.timestamp < ?))";
    }
  }
}

/** Each customer with an order before the as-of instant, with what the rules read. */
const CUSTOMERS = `WITH totals AS (
  SELECT customer_id AS id, count(*) AS orders, sum(amount_minor) AS revenue_minor, min(timestamp) AS first_at,
         max(timestamp) AS last_at
  FROM orders WHERE customer_id IS NOT NULL AND customer_id <> '' AND timestamp < ? GROUP BY customer_id
), first AS (
  -- The first order's channel: SQLite takes a bare column from the row with the min().
  SELECT customer_id AS id, channel, min(timestamp) AS at
  FROM orders WHERE customer_id IS NOT NULL AND customer_id <> '' AND timestamp < ? GROUP BY customer_id
), c AS (SELECT totals.*, first.channel AS channel FROM totals JOIN first ON first.id = totals.id)`;

/** The customers a rule selects, with their revenue, by one parameterised query. */
export async function selectCustomers(
  tables: Tables,
  rule: Rule,
  context: CompileContext,
): Promise<{ id: string; revenueMinor: number }[]> {
  const db = dbOf(tables);
  for (const field of context.external?.keys() ?? [])
    if (!TRAIT.test(field)) throw new Error(`not a field name: ${field}`);
  if (context.external && context.external.size > 0) {
    // Values another capability keeps, for this query only (a temp table is this connection's own).
    db.sqlite.exec(
      "CREATE TEMP TABLE IF NOT EXISTS segment_field_values (field TEXT, person_id TEXT, value, PRIMARY KEY (field, person_id)) WITHOUT ROWID",
    );
    const insert = db.sqlite.prepare("INSERT INTO temp.segment_field_values VALUES (?, ?, ?)");
    db.sqlite.transaction(() => {
      db.sqlite.exec("DELETE FROM temp.segment_field_values");
      for (const [field, values] of context.external!)
        for (const [id, value] of values) insert.run(field, id, value);
    })();
  }
  const args: unknown[] = [context.asOfMs, context.asOfMs];
  const where = compile(rule, context, args);
  return db.sqlite
    .prepare(
      `${CUSTOMERS} SELECT c.id AS id, c.revenue_minor AS revenueMinor FROM c LEFT JOIN customers cu ON cu.id = c.id
       WHERE coalesce(${where}, 0) ORDER BY c.id`,
    )
    .all(...args) as { id: string; revenueMinor: number }[];
}
