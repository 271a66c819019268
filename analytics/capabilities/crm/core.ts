import { AppError } from "../../platform/base/errors.ts";
import type { CapabilityContext } from "../../platform/contract/capability.ts";
import {
  type CrmConnector,
  PROVIDER_LABELS,
  PROVIDERS,
  type Provider,
  realSleep,
  type Waiting,
} from "./connector.ts";
import { HubSpot } from "./hubspot.ts";
import { Salesforce } from "./salesforce.ts";
import type { CrmSettings } from "./settings.ts";

/**
 * What the capability's parts share: its context and settings, and one connector per
 * configured CRM (made on first use and kept, with its call counts and session).
 */
export class CrmCore {
  readonly #connectors = new Map<Provider, CrmConnector>();
  /** CRMs whose Lift fields this process found or made (all of them: a segment sync's). */
  readonly fieldsReady = new Set<string>();
  /** Tests and the benchmark make waits instant and count them. */
  sleep: Waiting["sleep"] = realSleep;

  constructor(readonly context: CapabilityContext<CrmSettings>) {}

  get settings(): CrmSettings {
    return this.context.settings;
  }

  get tables() {
    return this.context.tables;
  }

  /** The CRMs whose settings are set. */
  configured(): Provider[] {
    const s = this.settings;
    return PROVIDERS.filter((p) =>
      p === "hubspot"
        ? Boolean(s.HUBSPOT_TOKEN)
        : Boolean((s.SALESFORCE_CLIENT_ID && s.SALESFORCE_CLIENT_SECRET) || s.SALESFORCE_ACCESS_TOKEN),
    );
  }

  /** What to set to connect a CRM. */
  static howToConnect(provider: Provider): string {
    return provider === "hubspot"
      ? "set HUBSPOT_TOKEN (a private app's access token with the CRM scopes)"
      : "set SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (a connected app with the client credentials flow), or SALESFORCE_INSTANCE_URL and SALESFORCE_ACCESS_TOKEN";
  }

  /** How connectors wait (one object: a run sets its signal, so the job's watchdog stops a wait that would outlast it). */
  readonly waiting: Waiting = {
    sleep: (ms, signal) => this.sleep(ms, signal),
    signal: undefined,
    maxWaitMs: 0,
  };

  connector(provider: Provider, signal?: AbortSignal): CrmConnector {
    if (!this.configured().includes(provider))
      throw new AppError("invalid_input", `${PROVIDER_LABELS[provider]} is not connected`, {
        hint: CrmCore.howToConnect(provider),
      });
    this.waiting.signal = signal;
    this.waiting.maxWaitMs = this.settings.LIFT_CRM_MAX_WAIT_SECONDS * 1000;
    let connector = this.#connectors.get(provider);
    if (!connector) {
      const s = this.settings;
      connector =
        provider === "hubspot"
          ? new HubSpot(
              {
                token: s.HUBSPOT_TOKEN!,
                baseUrl: s.HUBSPOT_BASE_URL,
                minIntervalMs: s.HUBSPOT_MIN_INTERVAL_MS,
              },
              this.waiting,
            )
          : new Salesforce(
              {
                loginUrl: s.SALESFORCE_LOGIN_URL,
                clientId: s.SALESFORCE_CLIENT_ID,
                clientSecret: s.SALESFORCE_CLIENT_SECRET,
                instanceUrl: s.SALESFORCE_INSTANCE_URL,
                accessToken: s.SALESFORCE_ACCESS_TOKEN,
                version: s.SALESFORCE_API_VERSION,
                externalId: s.SALESFORCE_EXTERNAL_ID,
              },
              this.waiting,
            );
      this.#connectors.set(provider, connector);
    }
    return connector;
  }

  /** Reads "hubspot", "HubSpot", "salesforce", "sfdc" → the provider, or throws saying which there are. */
  static provider(word: string): Provider {
    const w = word.trim().toLowerCase();
    if (w === "hubspot" || w === "hs") return "hubspot";
    if (w === "salesforce" || w === "sfdc" || w === "sf") return "salesforce";
    throw new AppError("invalid_input", `Lift knows no CRM “${word}”`, { hint: "hubspot or salesforce" });
  }
}
