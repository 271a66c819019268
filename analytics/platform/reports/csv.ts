/*
 * CSV cells for every file Lift writes (report exports from the CLI, the
 * console and Slack; rejected import rows). A text cell that a spreadsheet
 * would run as a formula — it starts with =, +, -, @, a tab or a carriage
 * return — gets a leading apostrophe, as OWASP's "CSV Injection" guidance
 * advises; numbers stay numbers (−12.5 is written -12.5).
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** One CSV cell: quoted when it holds a separator, quote or line break; formulas defused. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = value;
  if (FORMULA_START.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A cell read back from a file Lift wrote (a rejects file, fixed and re-imported): the apostrophe comes off. */
export function readCell(text: string): string {
  return text.length > 1 && text[0] === "'" && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}
