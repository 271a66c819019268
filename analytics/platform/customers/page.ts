import type { Db } from "../../../db/client.ts";
import {
  customerActivity,
  customerOrders,
  findCustomer,
} from "../../../db/platform/queries/customer-page.ts";
import { AppError } from "../base/errors.ts";
import { formatCount, formatDay, formatMoney } from "../base/format.ts";
import type { Logger } from "../base/log.ts";
import type { Registry } from "../base/registry.ts";
import type { ReportingSettings } from "../contract/api.ts";
import type { Command, ContextSource, CustomerRef, CustomerSection } from "../contract/capability.ts";
import { channelLabel } from "../ingest/channel.ts";
import { simpleReport } from "../reports/report.ts";
import { dayOf } from "../time/zone.ts";

/** "ana@example.com" → "a••@example.com": enough to recognise in a channel, not to copy. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "•••";
  return `${email[0]}••${email.slice(at)}`;
}

/**
 * `customer <id or email>`: one customer on one page — who they are, their
 * orders and activity (the platform's data), then a section from each
 * capability that knows something about them (segments, experiments, and
 * later predictions and sends). A section that fails is one line saying so.
 */
/** What the page needs of the platform. */
export interface CustomerPageDeps extends ContextSource {
  db: Db;
  settings: ReportingSettings;
  logger: Logger;
  registries: { customerSections: Registry<CustomerSection> };
}

/** Each capability's section of the page, in order; one that fails is logged and said in a line. */
async function capabilitySections(
  platform: CustomerPageDeps,
  ref: CustomerRef,
): Promise<{ details: string[]; warnings: string[] }> {
  const details: string[] = [];
  const warnings: string[] = [];
  for (const section of platform.registries.customerSections.list()) {
    const owner = platform.registries.customerSections.ownerOf(section);
    try {
      const part = await section.build(platform.contextFor(owner), ref);
      if (part && part.lines.length > 0) details.push(`*${section.title}*`, ...part.lines);
    } catch (error) {
      platform.logger.error({ err: error, section: section.id }, "a customer section failed");
      warnings.push(`${section.title}: could not be read this time (logged).`);
    }
  }
  return { details, warnings };
}

export function customerCommand(platform: CustomerPageDeps): Command {
  return {
    name: "customer",
    aliases: ["person"],
    summary: "One customer: orders, activity, segments, experiments",
    usage: "customer <customer id or email>",
    examples: ["customer c1042"],
    mutates: false,
    personal: true,
    async run(args) {
      const quoted = /^"([^"]+)"$/.exec(args.trim());
      const key = quoted ? quoted[1]!.trim() : args.trim();
      // One id or email (quote an id with spaces): "customer acquisition cost" is a question, which the
      // refusal hands to ask.
      if (!key || (!quoted && /\s/.test(key)))
        throw new AppError("invalid_input", "Which customer? Give one id or email", {
          hint: 'customer c1042, or customer "id with spaces"',
        });
      const customer = await findCustomer(platform.db, key);
      if (!customer)
        throw new AppError("not_found", `There is no customer “${key}”`, {
          hint: "give the id your shop or CRM uses (the customer_id of their orders), or their email",
        });
      const { timeZone, currency } = platform.settings;
      const day = (ms: number | null) => (ms === null ? "—" : formatDay(dayOf(ms, timeZone)));
      const [orders, activity] = await Promise.all([
        customerOrders(platform.db, customer.id),
        customerActivity(platform.db, customer.id),
      ]);
      const ref: CustomerRef = { id: customer.id, email: customer.email };
      const { details, warnings } = await capabilitySections(platform, ref);
      const topChannel = orders.channels[0];
      // A customer known only from orders has no first-seen time of their own: their first order is.
      const known = (values: (number | null)[]) => values.filter((v): v is number => v !== null && v > 0);
      const firstSeen = Math.min(...known([customer.firstSeen, orders.first]));
      const lastSeen = Math.max(...known([customer.lastSeen, activity.lastAt, orders.last]));
      const finite = (ms: number) => (Number.isFinite(ms) ? ms : null);
      const summary =
        orders.count === 0
          ? `No orders yet; first seen ${day(customer.firstSeen)}.`
          : `${formatCount(orders.count)} order${orders.count === 1 ? "" : "s"} worth ${formatMoney(orders.revenueMinor, currency)} since ${day(orders.first)}${topChannel ? `, mostly through ${channelLabel(topChannel.channel)}` : ""}.`;
      return simpleReport("customer", `Customer ${customer.id}`, summary, {
        scope: [customer.email ? maskEmail(customer.email) : null, `days in ${timeZone}`]
          .filter(Boolean)
          .join(" · "),
        facts: [
          { label: "Orders", value: formatCount(orders.count) },
          { label: "Revenue", value: formatMoney(orders.revenueMinor, currency) },
          { label: "Last order", value: day(orders.last) },
          { label: "First seen", value: day(finite(firstSeen)) },
          { label: "Last seen", value: day(finite(lastSeen)) },
          { label: "Events", value: formatCount(activity.events) },
        ],
        table:
          orders.recent.length > 0
            ? {
                columns: [
                  { key: "order", label: "Order", format: "text" },
                  { key: "day", label: "Day", format: "text" },
                  { key: "channel", label: "Channel", format: "text" },
                  { key: "amount", label: "Amount", format: "money" },
                ],
                rows: orders.recent.map((o) => [
                  o.id,
                  day(o.timestamp),
                  channelLabel(o.channel),
                  o.amountMinor,
                ]),
              }
            : undefined,
        details: [
          ...(activity.top.length > 0
            ? [
                `Most frequent events: ${activity.top.map((e) => `${e.event} (${formatCount(e.count)})`).join(", ")}`,
              ]
            : []),
          ...details,
        ],
        warnings,
      });
    },
  };
}
