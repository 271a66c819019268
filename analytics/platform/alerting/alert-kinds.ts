import { AppError } from "../base/errors.ts";
import type { Logger } from "../base/log.ts";
import { Registry } from "../base/registry.ts";
import type { AlertRule, AlertSubject, AlertWindow } from "../contract/alerts.ts";
import type { AlertKind, ContextProvider, ContextSource } from "../contract/capability.ts";

export type { AlertKind, ContextProvider };

/** The kinds of alert the capabilities contribute: a phrase goes to the first kind that takes it. */
export class AlertKinds extends Registry<AlertKind> {
  constructor(private readonly contexts: ContextSource) {
    super(
      "alert kind",
      (k) => k.kind,
      (k) => k.order,
    );
  }

  find(kind: string): AlertKind {
    const found = this.get(kind);
    if (!found) throw new AppError("not_found", `Lift no longer knows alerts of kind “${kind}”`);
    return found;
  }

  /** Reads an alert phrase with the first kind that takes it. */
  parse(text: string, context: { today: string; currency: string }): AlertRule {
    for (const kind of this.list()) {
      const rule = kind.parse(text, context);
      if (rule) return rule;
    }
    const examples = this.list()
      .flatMap((k) => k.examples.slice(0, 1))
      .map((e) => `\`alert ${e}\``);
    throw new AppError("invalid_input", `I could not read the alert “${text.trim()}”`, {
      hint: `try ${examples.join(", ")}`,
    });
  }

  describe(rule: AlertRule, currency: string): string {
    return this.find(rule.kind).describe(rule, { currency });
  }

  evaluate(rule: AlertRule, now: number) {
    const kind = this.find(rule.kind);
    return kind.evaluate(this.contexts.contextFor(this.ownerOf(kind)), rule, now);
  }
}

/**
 * What every capability says happened around an alert or a change; a provider
 * that fails is logged and left out.
 */
export class ContextProviders extends Registry<ContextProvider> {
  constructor(private readonly contexts: ContextSource) {
    super(
      "context provider",
      (p) => p.id,
      (p) => p.order,
    );
  }

  async collect(window: AlertWindow, subject: AlertSubject, logger: Logger): Promise<string[]> {
    const all = await Promise.all(
      this.list().map(async (provider) => {
        try {
          return await provider.lines(this.contexts.contextFor(this.ownerOf(provider)), window, subject);
        } catch (error) {
          logger.error({ err: error, provider: provider.id }, "an alert context provider failed");
          return [];
        }
      }),
    );
    return all.flat();
  }
}
