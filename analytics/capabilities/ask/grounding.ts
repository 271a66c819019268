/**
 * A model's sentences may only repeat numbers the tools returned. Every number
 * in a sentence is read with its unit (%, K, M, currency signs and thousands
 * separators dropped) and must equal a number in the tool results within the
 * sentence's own rounding ("12.3%" stands for 12.25–12.35; "$1.2M" for
 * 1.15M–1.25M). A sentence with a number found nowhere is dropped.
 */

export interface SpokenNumber {
  value: number;
  /** Half the last shown digit's place, in the value's units: how far rounding may have moved it. */
  tolerance: number;
  percent: boolean;
}

const NUMBER =
  /([-−+]?)[$€£¥]?\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(%|[kKmMbB](?![a-zA-Z])|x(?![a-zA-Z]))?/g;

export function numbersIn(text: string): SpokenNumber[] {
  const found: SpokenNumber[] = [];
  for (const match of text.matchAll(NUMBER)) {
    const whole = match[2]!.replace(/,/g, "");
    const decimals = match[3] ?? "";
    const suffix = (match[4] ?? "").toLowerCase();
    const scale = suffix === "k" ? 1e3 : suffix === "m" ? 1e6 : suffix === "b" ? 1e9 : 1;
    const sign = match[1] === "-" || match[1] === "−" ? -1 : 1;
    const value = sign * Number(`${whole}.${decimals || "0"}`) * scale;
    const tolerance = 0.5 * 10 ** -decimals.length * scale;
    found.push({ value, tolerance, percent: suffix === "%" });
  }
  return found;
}

/** Whether a spoken number is one of the tools' numbers, as shown or as a ratio (12.3% ↔ 0.123). */
function grounded(spoken: SpokenNumber, known: SpokenNumber[]): boolean {
  return known.some((k) => {
    const candidates = [k.value, Math.abs(k.value)];
    if (spoken.percent && !k.percent) candidates.push(k.value * 100, Math.abs(k.value) * 100);
    if (!spoken.percent && k.percent) candidates.push(k.value / 100);
    const slack = spoken.tolerance + k.tolerance + 1e-9;
    return candidates.some((c) => Math.abs(Math.abs(spoken.value) - Math.abs(c)) <= slack);
  });
}

/** Splits prose into sentences. */
export function sentences(text: string): string[] {
  // A full stop inside a number ("$1.2M") is followed by a digit, never by a space: it ends nothing.
  return text
    .replace(/\s+/g, " ")
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"“(])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The model's sentences checked as they are written: text arrives in pieces,
 * and each sentence is passed on once it is complete (the next one has begun,
 * or the text ended) and every number in it is in the tool results. The
 * sentences passed are those `groundedSentences` keeps from the whole text:
 * a finished sentence never changes as more text arrives.
 */
export class SentenceGate {
  private text = "";
  private seen = 0;
  readonly kept: string[] = [];
  dropped = 0;
  private readonly known: SpokenNumber[];

  constructor(
    toolResults: string[],
    private readonly pass: (sentence: string) => void,
    private readonly max = 2,
  ) {
    this.known = toolResults.flatMap(numbersIn);
  }

  /** More of the model's text; the sentences it completes are checked and passed on. */
  write(piece: string): void {
    this.text += piece;
    const all = sentences(this.text);
    // The last sentence may still grow ("… was $1." may go on as "… was $1.2M"): it is complete once the next has begun.
    this.check(all.slice(this.seen, all.length - 1));
  }

  /** The text ended: its last sentence is complete. */
  end(): void {
    this.check(sentences(this.text).slice(this.seen));
  }

  private check(complete: string[]): void {
    for (const sentence of complete) {
      this.seen++;
      const ok = numbersIn(sentence).every((n) => grounded(n, this.known));
      if (ok && this.kept.length < this.max) {
        this.kept.push(sentence);
        this.pass(sentence);
      } else this.dropped++;
    }
  }
}

/**
 * The model's sentences that may stand beside the reports: at most `max`, each
 * with every number found in the tool results; the rest are dropped.
 */
export function groundedSentences(
  prose: string,
  toolResults: string[],
  max = 2,
): { kept: string[]; dropped: string[] } {
  const known = toolResults.flatMap(numbersIn);
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const sentence of sentences(prose)) {
    const ok = numbersIn(sentence).every((n) => grounded(n, known));
    if (ok && kept.length < max) kept.push(sentence);
    else dropped.push(sentence);
  }
  return { kept, dropped };
}
