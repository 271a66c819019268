import { templateByName } from "../../../db/automations/queries.ts";
import { isSuppressed } from "../../../db/automations/suppressions.ts";
import type { CapabilityContext } from "../../platform/contract/capability.ts";
import { DEMO_TEMPLATES } from "./library.ts";
import { type Mailer, smtpMailer } from "./mailer.ts";
import type { AutomationsSettings } from "./settings.ts";
import { emailHash, webhookSecret } from "./signing.ts";

/**
 * What every part of the capability shares: its context and settings, the workspace's hash
 * key (read or made once), the mail transport (opened on first send, one pool per process),
 * and where recipients reach Lift.
 */
export class AutomationsCore {
  #mailer: Mailer | null = null;

  constructor(readonly context: CapabilityContext<AutomationsSettings>) {}

  get settings(): AutomationsSettings {
    return this.context.settings;
  }

  /** The key of suppression hashes and link tokens: the platform's hash key (LIFT_HASH_KEY, or the one beside the database). */
  async key(): Promise<Buffer> {
    return this.context.platform.hashKey();
  }

  async webhookSecret(): Promise<string> {
    return webhookSecret(this.settings.LIFT_WEBHOOK_SECRET, await this.key());
  }

  /** The mail transport, or null when SMTP_URL is not set (mail goes to the console's outbox). */
  get mailer(): Mailer | null {
    if (!this.settings.SMTP_URL) return null;
    const { LIFT_DKIM_DOMAIN, LIFT_DKIM_SELECTOR, LIFT_DKIM_KEY } = this.settings;
    this.#mailer ??= smtpMailer(this.settings.SMTP_URL, {
      dkim:
        LIFT_DKIM_DOMAIN && LIFT_DKIM_SELECTOR && LIFT_DKIM_KEY
          ? { domainName: LIFT_DKIM_DOMAIN, keySelector: LIFT_DKIM_SELECTOR, privateKey: LIFT_DKIM_KEY }
          : undefined,
    });
    return this.#mailer;
  }

  close(): void {
    this.#mailer?.close();
    this.#mailer = null;
  }

  /** Where links in mail point: LIFT_PUBLIC_URL, else the console on this machine. */
  get publicUrl(): string {
    return (this.settings.LIFT_PUBLIC_URL ?? `http://localhost:${this.settings.PORT}`).replace(/\/+$/, "");
  }

  /** A template by name: the workspace's own, else the library's. */
  async template(name: string) {
    return (
      (await templateByName(this.context.tables, name)) ?? DEMO_TEMPLATES.find((t) => t.name === name) ?? null
    );
  }

  /** Whether a customer accepted marketing mail (the consent trait is true, 1, "true" or "yes"). */
  consents(traits: Record<string, unknown>): boolean {
    const value = traits[this.settings.LIFT_CONSENT_TRAIT];
    return value === true || value === 1 || value === "true" || value === "yes" || value === "1";
  }

  /** Whether an address is on the suppression list (looked up by its keyed hash). */
  async isSuppressed(email: string): Promise<boolean> {
    return isSuppressed(this.context.tables, emailHash(await this.key(), email));
  }

  async templateKind(name: string): Promise<"marketing" | "transactional"> {
    return (await this.template(name))?.kind ?? "marketing";
  }
}
