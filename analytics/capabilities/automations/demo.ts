import { createHash } from "node:crypto";
import { customerCountries, lastEventAt, updateAutomation } from "../../../db/automations/queries.ts";
import type { CapabilityContext } from "../../platform/contract/capability.ts";
import type { DemoPart } from "../../platform/demo/parts.ts";
import { automationsApi } from "./api.ts";

/*
 * The demo's automations: an abandoned-cart email that has run for the last two weeks (the
 * engine replayed hour by hour over the demo's own events, mail shown in the outbox), and a
 * win-back to the "Can't lose them" customers (10 % held out) that goes out on the server's
 * first pass. The cart's conversions are the demo's own returning visitors (the full demo has a
 * few dozen in two weeks); `finish` derives, it plants no data. Four in five demo customers accept marketing; each has a time zone from their
 * country, so quiet hours hold some back whatever the hour.
 */

const ZONES: Record<string, string[]> = {
  US: ["America/New_York", "America/Chicago", "America/Los_Angeles"],
  GB: ["Europe/London"],
  DE: ["Europe/Berlin"],
  CA: ["America/Toronto", "America/Vancouver"],
  FR: ["Europe/Paris"],
  AU: ["Australia/Sydney"],
  NL: ["Europe/Amsterdam"],
};

const HOUR = 3_600_000;

function hashOf(id: string): number {
  return createHash("sha256").update(id).digest().readUInt32BE(0);
}

export const automationsDemo: DemoPart<CapabilityContext> = {
  id: "automations",
  order: 95,
  async finish(context) {
    const { platform } = context;
    // Anchored to the data, not the clock: the same seed and end day give the same workspace.
    const now = Math.min(context.now(), (await lastEventAt(context.tables)) ?? context.now());
    const customers = await customerCountries(context.tables);
    const stamp = new Date(now).toISOString();
    const rows = customers.map(({ id, country }) => {
      const h = hashOf(id);
      const zones = ZONES[country ?? ""];
      return {
        id,
        updated_at: stamp,
        accepts_marketing: h % 10 < 8,
        ...(zones ? { timezone: zones[h % zones.length] } : {}),
      };
    });
    for (let i = 0; i < rows.length; i += 5000)
      await platform.ingest.write("customers", rows.slice(i, i + 5000));
    const service = automationsApi.of(platform);
    const demo = { userId: "demo", channelId: "console" };
    if ((await service.list()).length > 0) return;
    const cart = await service.create(
      "abandoned-cart",
      'when event "Product Added" without "Order Completed" within 2 hours send email abandoned-cart',
      demo,
    );
    await service.start(cart.name, demo);
    // As if it had been live for two weeks: the engine replayed hour by hour, mail to the outbox.
    const since = now - 14 * 24 * HOUR;
    await updateAutomation(context.tables, cart.id, { liveSince: since });
    for (let at = since + HOUR; at <= now; at += HOUR) await service.runNow(null, at, { outboxOnly: true });
    const winBack = await service.create(
      "win-back",
      'when customer enters segment "can\'t lose them" with holdout 10% including current members send email win-back-1, wait 3 days, if no order send email win-back-2',
      demo,
    );
    await service.start(winBack.name, demo);
  },
};
