import type { Operator, Rule, Value } from "../../../db/segments/rules.ts";
import { AppError } from "../../platform/base/errors.ts";

/*
 * The segment rule language: a small filter language read by a parser (never
 * evaluated as code) into a tree that db/ compiles to a parameterised query.
 *
 *   rule   := or
 *   or     := and ("or" and)*
 *   and    := unary ("and" unary)*
 *   unary  := "not" unary | "(" rule ")" | atom
 *   atom   := "in" "segment" NAME
 *           | "did" EVENT ["in" DURATION]
 *           | FIELD OP VALUE
 *           | FIELD ["not"] "in" "(" VALUE ("," VALUE)* ")"
 *   OP     := "=" | "!=" | "<" | "<=" | ">" | ">="
 *   VALUE  := a number (500, $500, 12.5), a duration (60d, 8w, 3m), or text ("Pay now", email, DE)
 *
 * Fields: orders, revenue, aov (amounts in the reporting currency), last_order
 * and first_order (as days ago: `last_order < 60d` is "ordered in the last 60
 * days"), channel (of the first order), email, and any customer trait
 * (country, plan, …).
 */

export type { Operator, Rule, Value } from "../../../db/segments/rules.ts";

/** Fields every customer has; any other identifier is a trait. */
export const FIELDS = ["orders", "revenue", "aov", "last_order", "first_order", "channel", "email"] as const;
const NUMERIC = new Set(["orders", "revenue", "aov"]);
const DAYS = new Set(["last_order", "first_order"]);

interface Token {
  kind: "word" | "string" | "number" | "duration" | "op" | "(" | ")" | "," | "end";
  text: string;
  at: number;
  value?: number;
}

function fail(message: string, at: number, source: string): never {
  // A window of the rule around the place, so a long rule does not flood the answer.
  const from = Math.max(0, at - 60);
  const shown = `${from > 0 ? "…" : ""}${source.slice(from, at + 60)}${at + 60 < source.length ? "…" : ""}`;
  const pointer = `${shown}\n${" ".repeat(Math.min(at, source.length) - from + (from > 0 ? 1 : 0))}^`;
  throw new AppError("invalid_input", `Rule: ${message} (at character ${at + 1})`, { hint: pointer });
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "“" || c === "'") {
      const close = c === "“" ? "”" : c;
      const end = source.indexOf(close, i + 1);
      if (end < 0) fail(`the text starting here has no closing ${close}`, start, source);
      tokens.push({ kind: "string", text: source.slice(i + 1, end), at: start });
      i = end + 1;
      continue;
    }
    if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: c, text: c, at: start });
      i++;
      continue;
    }
    const op = /^(<=|>=|!=|<>|==|=|<|>)/.exec(source.slice(i));
    if (op) {
      tokens.push({ kind: "op", text: op[1] === "<>" ? "!=" : op[1] === "==" ? "=" : op[1]!, at: start });
      i += op[1]!.length;
      continue;
    }
    const number = /^\$?(\d+(?:[.,]\d+)*)(k?)(d|days?|w|weeks?|m|months?)?(?![\p{L}\p{N}_])/iu.exec(
      source.slice(i),
    );
    if (number) {
      const raw = Number(number[1]!.replace(/,(?=\d{3}\b)/g, "").replace(",", "."));
      const n = number[2] ? raw * 1000 : raw;
      const unit = number[3]?.toLowerCase();
      if (unit) {
        const days = unit.startsWith("d") ? n : unit.startsWith("w") ? n * 7 : n * 30;
        tokens.push({ kind: "duration", text: number[0], at: start, value: days });
      } else tokens.push({ kind: "number", text: number[0], at: start, value: n });
      i += number[0].length;
      continue;
    }
    const word = /^[\p{L}_@][\p{L}\p{N}_.@+-]*/u.exec(source.slice(i));
    if (word) {
      tokens.push({ kind: "word", text: word[0], at: start });
      i += word[0].length;
      continue;
    }
    fail(`“${c}” is not part of the rule language`, start, source);
  }
  tokens.push({ kind: "end", text: "", at: source.length });
  return tokens;
}

const KEYWORDS = new Set(["and", "or", "not", "in", "segment", "did"]);

/**
 * How deep brackets and "not" may nest, and how many conditions one rule may hold: a rule is read,
 * printed and compiled by recursion, and a 20,000-deep rule would overflow the stack. Real rules use
 * a handful of each.
 */
export const MAX_RULE_NESTING = 32;
export const MAX_RULE_CONDITIONS = 200;

/** Reads a rule; an error says where and what was expected. */
// Long on purpose: a recursive-descent parser whose small rules share one token position as closures.
export function parseRule(
  source: string,
  fields: readonly { name: string; type: "number" | "text" }[] = [],
): Rule {
  const numeric = (field: string) =>
    NUMERIC.has(field) || fields.some((f) => f.name === field && f.type === "number");
  const tokens = tokenize(source);
  let p = 0;
  let depth = 0;
  let conditions = 0;
  const peek = () => tokens[p]!;
  const isWord = (word: string) => peek().kind === "word" && peek().text.toLowerCase() === word;
  const expect = (what: string): never => {
    const t = peek();
    fail(`expected ${what}${t.kind === "end" ? " but the rule ends" : `, found “${t.text}”`}`, t.at, source);
  };
  const value = (field: string): Value => {
    const t = peek();
    if (t.kind === "number") {
      p++;
      return { kind: "number", value: t.value! };
    }
    if (t.kind === "duration") {
      p++;
      return { kind: "duration", days: t.value!, text: t.text };
    }
    if (t.kind === "string" || (t.kind === "word" && !KEYWORDS.has(t.text.toLowerCase()))) {
      p++;
      return { kind: "text", value: t.text };
    }
    return expect(
      numeric(field)
        ? "a number (3, 500, $500)"
        : DAYS.has(field)
          ? "a duration (60d, 8w, 3m)"
          : "a value (a word, or text in quotes)",
    );
  };
  const check = (field: string, v: Value, at: number) => {
    if (numeric(field) && v.kind !== "number")
      fail(`${field} compares with a number, not “${v.kind === "text" ? v.value : v.text}”`, at, source);
    if (DAYS.has(field) && v.kind !== "duration")
      fail(`${field} compares with a duration like 60d (days ago)`, at, source);
  };
  const atom = (): Rule => {
    const t = peek();
    if (++conditions > MAX_RULE_CONDITIONS)
      fail(`a rule holds at most ${MAX_RULE_CONDITIONS} conditions`, t.at, source);
    if (isWord("in")) {
      p++;
      if (!isWord("segment")) expect("“segment” after “in”");
      p++;
      const name = peek();
      if (name.kind !== "word" && name.kind !== "string") expect("a segment's name");
      p++;
      return { kind: "segment", name: name.text.toLowerCase() };
    }
    if (isWord("did")) {
      p++;
      const event = peek();
      if (event.kind !== "word" && event.kind !== "string") expect('an event name ("Order Completed")');
      p++;
      let withinDays: number | null = null;
      if (isWord("in")) {
        p++;
        if (peek().kind !== "duration") expect("a duration (7d, 2w, 3m)");
        withinDays = tokens[p++]!.value!;
      }
      return { kind: "did", event: event.text, withinDays };
    }
    if (t.kind !== "word" || KEYWORDS.has(t.text.toLowerCase()))
      expect(`a field (${FIELDS.join(", ")}, or a trait), “in segment”, “did” or “(”`);
    const field = t.text.toLowerCase();
    if (!/^[a-z_][a-z0-9_]*$/.test(field)) fail(`“${t.text}” is not a field or trait name`, t.at, source);
    p++;
    let negated = false;
    if (isWord("not")) {
      negated = true;
      p++;
      if (!isWord("in")) expect("“in” after “not”");
    }
    if (isWord("in")) {
      p++;
      if (peek().kind !== "(") expect("“(” to start the list");
      p++;
      const values: Value[] = [];
      for (;;) {
        const at = peek().at;
        const v = value(field);
        check(field, v, at);
        values.push(v);
        if (peek().kind === ",") {
          p++;
          continue;
        }
        if (peek().kind === ")") {
          p++;
          break;
        }
        expect("“,” or “)”");
      }
      return { kind: "in", field, negated, values };
    }
    if (peek().kind !== "op") expect("an operator (=, !=, <, <=, >, >=) or “in (…)”");
    const op = tokens[p++]!.text as Operator;
    const at = peek().at;
    const v = value(field);
    check(field, v, at);
    if (v.kind === "text" && op !== "=" && op !== "!=") fail(`text compares with = or != only`, at, source);
    return { kind: "compare", field, op, value: v };
  };
  const nested = <T>(read: () => T): T => {
    if (++depth > MAX_RULE_NESTING)
      fail(`brackets and “not” nest at most ${MAX_RULE_NESTING} deep`, peek().at, source);
    try {
      return read();
    } finally {
      depth--;
    }
  };
  const unary = (): Rule => {
    if (isWord("not")) {
      p++;
      return nested(() => ({ kind: "not", rule: unary() }));
    }
    if (peek().kind === "(") {
      p++;
      return nested(() => {
        const inner = or();
        if (peek().kind !== ")") expect("“)”");
        p++;
        return inner;
      });
    }
    return atom();
  };
  const and = (): Rule => {
    let left = unary();
    while (isWord("and")) {
      p++;
      left = { kind: "and", left, right: unary() };
    }
    return left;
  };
  const or = (): Rule => {
    let left = and();
    while (isWord("or")) {
      p++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  if (peek().kind === "end") fail("the rule is empty", 0, source);
  const rule = or();
  if (peek().kind !== "end") expect("“and”, “or” or the end of the rule");
  return rule;
}

function quote(text: string): string {
  return /^[\p{L}_][\p{L}\p{N}_.@+-]*$/u.test(text) && !KEYWORDS.has(text.toLowerCase()) ? text : `"${text}"`;
}

function valueText(v: Value): string {
  return v.kind === "number" ? String(v.value) : v.kind === "duration" ? `${v.days}d` : quote(v.value);
}

/** A rule written back in the language (what `segment NAME` shows, and what the parser reads back the same). */
export function ruleText(rule: Rule): string {
  switch (rule.kind) {
    case "and":
    case "or": {
      const side = (r: Rule) => (r.kind === "or" && rule.kind === "and" ? `(${ruleText(r)})` : ruleText(r));
      // Left-leaning: a right side of the same kind needs brackets to keep the tree.
      const right =
        rule.right.kind === rule.kind || (rule.right.kind === "or" && rule.kind === "and")
          ? `(${ruleText(rule.right)})`
          : side(rule.right);
      return `${side(rule.left)} ${rule.kind} ${right}`;
    }
    case "not":
      return `not ${rule.rule.kind === "and" || rule.rule.kind === "or" ? `(${ruleText(rule.rule)})` : ruleText(rule.rule)}`;
    case "compare":
      return `${rule.field} ${rule.op} ${valueText(rule.value)}`;
    case "in":
      return `${rule.field}${rule.negated ? " not" : ""} in (${rule.values.map(valueText).join(", ")})`;
    case "segment":
      return `in segment ${quote(rule.name)}`;
    case "did":
      return `did ${quote(rule.event)}${rule.withinDays === null ? "" : ` in ${rule.withinDays}d`}`;
  }
}

/** The fields and traits a rule reads. */
export function fieldsIn(rule: Rule): string[] {
  switch (rule.kind) {
    case "and":
    case "or":
      return [...new Set([...fieldsIn(rule.left), ...fieldsIn(rule.right)])];
    case "not":
      return fieldsIn(rule.rule);
    case "compare":
    case "in":
      return [rule.field];
    default:
      return [];
  }
}

/** The segments a rule refers to (a segment may not refer to itself). */
export function segmentsIn(rule: Rule): string[] {
  switch (rule.kind) {
    case "and":
    case "or":
      return [...segmentsIn(rule.left), ...segmentsIn(rule.right)];
    case "not":
      return segmentsIn(rule.rule);
    case "segment":
      return [rule.name];
    default:
      return [];
  }
}
