import type { ChartSpec } from "../charts/spec.ts";
import { AppError } from "../errors.ts";
import type { Platform } from "../platform.ts";
import type { Action, Fact, Quote } from "../reports/report.ts";

/** An alert rule as stored: its kind, and whatever that kind reads from the phrase. */
export interface AlertRule {
  kind: string;
  [field: string]: unknown;
}

/** What an alert watches, so context providers can say what else moved around it. */
export interface AlertSubject {
  metric?: string;
  channel?: string;
  topic?: string;
  experimentId?: string;
}

/** The stretch of time an evaluation judged: reporting days, and the instants they span. */
export interface AlertWindow {
  from: string;
  to: string;
  fromMs: number;
  toMs: number;
}

export interface Evaluation {
  /**
   * firing: the rule is breached; ok: it is not; stale: the data the rule needs
   * stopped arriving, so it cannot be judged (never a fake drop); unknown: not
   * enough data to tell, which changes nothing.
   */
  state: "firing" | "ok" | "stale" | "unknown";
  /** Which period was judged ("2026-11-23", "2026-11-17..2026-11-23"): part of the incident key. */
  period: string;
  /**
   * Which incident a firing state is, when a kind has several ("winner",
   * "srm"): a change of label resolves the old incident and opens the new one.
   */
  label?: string;
  headline: string;
  facts: Fact[];
  charts?: ChartSpec[];
  quotes?: Quote[];
  /** Buttons the kind adds to its message ("Ship B", "Show posts"), before mute and delete. */
  actions?: Action[];
  window?: AlertWindow;
  subject?: AlertSubject;
}

export interface AlertContext {
  platform: Platform;
}

/**
 * One kind of alert: how it is said (a phrase read into a rule, or null: not
 * mine), described, evaluated, and how often it is checked. Threshold, change,
 * anomaly and no-data are one module each; capabilities add their own.
 */
export interface AlertKind<R extends AlertRule = AlertRule> {
  kind: string;
  /** Phrases are offered to kinds in this order (lower first). */
  order: number;
  /** Phrases for help and for the "could not read" message. */
  examples: string[];
  /** A phrase (after "alert") → a rule; null when the phrase is not this kind's; throws when it is but is wrong. */
  parse(text: string, context: { today: string; currency: string }): R | null;
  describe(rule: R, context: { currency: string }): string;
  evaluate(context: AlertContext, rule: R, now: number): Promise<Evaluation>;
  /** The next check after `after` (the kind's own cadence). */
  nextCheck(after: number, rule: R): number;
  /** How the cadence reads in a confirmation: "checked every 5 minutes". */
  cadence: string;
  /** The label of the message's mute-for-a-day button ("Mute shipping 24 h"); "Mute for a day" when not given. */
  muteLabel?(rule: R): string;
}

/** Every `everyMs`, `offsetMs` past the multiple (hourly at :05 is everyMs 1 h, offset 5 min). */
export function every(everyMs: number, offsetMs = 0): (after: number) => number {
  return (after) => Math.floor((after - offsetMs) / everyMs) * everyMs + everyMs + offsetMs;
}

export class AlertKinds {
  private readonly kinds: AlertKind[] = [];

  register(kind: AlertKind): void {
    const k = kind;
    if (this.kinds.some((existing) => existing.kind === k.kind))
      throw new Error(`alert kind “${k.kind}” is registered twice`);
    this.kinds.push(k);
    this.kinds.sort((a, b) => a.order - b.order);
  }

  list(): readonly AlertKind[] {
    return this.kinds;
  }

  get(kind: string): AlertKind {
    const found = this.kinds.find((k) => k.kind === kind);
    if (!found) throw new AppError("not_found", `Lift no longer knows alerts of kind “${kind}”`);
    return found;
  }

  /** Reads an alert phrase with the first kind that takes it. */
  parse(text: string, context: { today: string; currency: string }): AlertRule {
    for (const kind of this.kinds) {
      const rule = kind.parse(text, context);
      if (rule) return rule;
    }
    const examples = this.kinds.flatMap((k) => k.examples.slice(0, 1)).map((e) => `\`alert ${e}\``);
    throw new AppError("invalid_input", `I could not read the alert “${text.trim()}”`, {
      hint: `try ${examples.join(", ")}`,
    });
  }

  describe(rule: AlertRule, currency: string): string {
    return this.get(rule.kind).describe(rule, { currency });
  }
}

/**
 * Says what else happened around an alert: a KPI change, an experiment that
 * started, a sentiment spike. Each capability can contribute one; an alert's
 * message carries every provider's lines.
 */
export interface ContextProvider {
  id: string;
  order: number;
  lines(context: AlertContext, window: AlertWindow, subject: AlertSubject): Promise<string[]>;
}

export class ContextProviders {
  private readonly providers: ContextProvider[] = [];

  register(provider: ContextProvider): void {
    if (this.providers.some((p) => p.id === provider.id))
      throw new Error(`context provider “${provider.id}” is registered twice`);
    this.providers.push(provider);
    this.providers.sort((a, b) => a.order - b.order);
  }

  list(): readonly ContextProvider[] {
    return this.providers;
  }

  /** Every provider's lines for a window; a provider that fails is logged and left out. */
  async collect(context: AlertContext, window: AlertWindow, subject: AlertSubject): Promise<string[]> {
    const all = await Promise.all(
      this.providers.map(async (provider) => {
        try {
          return await provider.lines(context, window, subject);
        } catch (error) {
          context.platform.logger.error(
            { err: error, provider: provider.id },
            "an alert context provider failed",
          );
          return [];
        }
      }),
    );
    return all.flat();
  }
}
