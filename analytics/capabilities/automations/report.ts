import { type AutomationRow, armConversions } from "../../../db/automations/queries.ts";
import { funnelCounts } from "../../../db/automations/sends.ts";
import { formatCount, formatDay, formatMoney, formatPercent } from "../../platform/base/format.ts";
import type { Fact, Report } from "../../platform/reports/report.ts";
import { dayOf } from "../../platform/time/zone.ts";
import { analyseExperiment, DEFAULT_DECISION } from "../experiments/index.ts";
import type { AutomationsCore } from "./core.ts";
import { describeAutomation, describeStep } from "./describe.ts";
import { type AutomationSpec, isAction, specOf } from "./grammar.ts";
import { linksIn } from "./templates.ts";

/*
 * An automation's report: its funnel (entered, sent, clicked, converted within the attribution
 * window, unsubscribed), each step's sends by outcome, what went wrong in the server's words, and
 * — with a holdout — whether it caused the orders, analysed as an experiment (the holdout is
 * the control).
 */

const DAY = 86_400_000;

/** The utm_campaign values of the links in the automation's email templates. */
async function utmCampaigns(core: AutomationsCore, spec: AutomationSpec): Promise<string[]> {
  const found = new Set<string>();
  for (const step of spec.steps) {
    if (step.kind !== "email") continue;
    const template = await core.template(step.template);
    for (const url of linksIn(template?.body ?? "")) {
      const campaign = new URL(url).searchParams.get("utm_campaign");
      if (campaign) found.add(campaign);
    }
  }
  return [...found];
}

export async function automationReport(core: AutomationsCore, automation: AutomationRow): Promise<Report> {
  const { tables, platform } = core.context;
  const spec = specOf(automation);
  const zone = platform.settings.timeZone;
  const currency = platform.settings.currency;
  const windowDays = core.settings.LIFT_ATTRIBUTION_DAYS;
  const counts = await funnelCounts(tables, automation.id);
  const arms = await armConversions(tables, automation.id, windowDays * DAY, await utmCampaigns(core, spec));
  const treated = arms.find((a) => a.arm === "treatment") ?? { entered: 0, converted: 0, revenueMinor: 0 };
  const holdout = arms.find((a) => a.arm === "holdout") ?? { entered: 0, converted: 0, revenueMinor: 0 };
  const held = Object.entries(counts.runs)
    .filter(([k]) => k.startsWith("held:"))
    .reduce((sum, [, n]) => sum + n, 0);
  const sent = (counts.sends["sent"] ?? 0) + (counts.sends["shown"] ?? 0);
  const rate = (n: number, of: number) => (of > 0 ? formatPercent(n / of) : "—");
  const since = automation.liveSince ? formatDay(dayOf(automation.liveSince, zone)) : null;
  const facts: Fact[] = [
    {
      label: "Entered",
      value: formatCount(treated.entered + holdout.entered),
      ...(holdout.entered ? { note: `${formatCount(holdout.entered)} held out` } : {}),
    },
    {
      label: "Sent",
      value: formatCount(sent),
      ...(counts.sends["shown"]
        ? { note: `${formatCount(counts.sends["shown"])} shown in the console, not sent` }
        : {}),
    },
    ...(core.settings.LIFT_OPEN_TRACKING
      ? [{ label: "Opened", value: formatCount(counts.opened), note: "pixels: unreliable" }]
      : []),
    { label: "Clicked", value: formatCount(counts.clicked), note: rate(counts.clicked, sent) },
    {
      label: `Converted in ${windowDays} days`,
      value: formatCount(treated.converted),
      note: `${rate(treated.converted, treated.entered)}, ${formatMoney(treated.revenueMinor, currency)}`,
    },
    { label: "Unsubscribed", value: formatCount(counts.unsubscribed) },
  ];
  const warnings: string[] = [];
  if (automation.status !== "live")
    warnings.push(
      `It is ${automation.status}: it enrols and sends nothing until \`automation start ${automation.name}\`.`,
    );
  if (held > 0)
    warnings.push(
      `${formatCount(held)} customers wait for an admin's approval: nothing goes to them before.`,
    );
  if (automation.pausedSendingAt)
    warnings.push(
      `Sending is paused since ${formatDay(dayOf(automation.pausedSendingAt, zone))}: ${automation.pausedSendingWhy}. The queue is kept; Lift retries every minute.`,
    );
  if (counts.sends["unclear"])
    warnings.push(
      `${formatCount(counts.sends["unclear"])} sends are unclear: the process stopped while handing them over, so they may have gone. Lift does not resend them.`,
    );
  if (!core.settings.SMTP_URL && counts.sends["shown"])
    warnings.push("SMTP_URL is not set: mail is shown in the console's outbox and not sent.");
  if (!core.settings.LIFT_OPEN_TRACKING)
    warnings.push("Opens are not counted (pixels are blocked or fetched by proxies); clicks and orders are.");
  const details = counts.reasons.map((r) => `${formatCount(r.n)} ${r.status}: ${r.reason}`);
  let holdoutLine: string | null = null;
  if (automation.holdout > 0) {
    if (holdout.entered === 0 || treated.entered === 0)
      holdoutLine = "No one is in the holdout yet: whether it causes orders shows once both groups fill.";
    else if (holdout.converted + treated.converted === 0)
      holdoutLine = `No one in either group has ordered within ${windowDays} days yet (${formatCount(holdout.entered)} held out, ${formatCount(treated.entered)} who got it): the comparison shows once orders come.`;
    else {
      const result = analyseExperiment({
        id: automation.name,
        status: "running",
        metric: "conversion",
        control: "holdout",
        split: { holdout: automation.holdout, treatment: 1 - automation.holdout },
        variants: [
          {
            id: "holdout",
            users: holdout.entered,
            conversions: holdout.converted,
            sum: holdout.converted,
            sumOfSquares: holdout.converted,
          },
          {
            id: "treatment",
            users: treated.entered,
            conversions: treated.converted,
            sum: treated.converted,
            sumOfSquares: treated.converted,
          },
        ],
        excluded: 0,
        daysRunning: automation.liveSince ? Math.floor((core.context.now() - automation.liveSince) / DAY) : 0,
        settings: DEFAULT_DECISION,
      });
      const comparison = result.comparisons[0];
      holdoutLine = `Holdout: ${rate(holdout.converted, holdout.entered)} of ${formatCount(holdout.entered)} held out ordered within ${windowDays} days, against ${rate(treated.converted, treated.entered)} of those who got it${
        comparison
          ? ` (${comparison.relative.estimate >= 0 ? "+" : "−"}${formatPercent(Math.abs(comparison.relative.estimate))}, 95 % interval ${formatPercent(comparison.relative.ci[0])} to ${formatPercent(comparison.relative.ci[1])})`
          : ""
      }. ${result.decision.reason}`;
    }
  }
  const stepRows = spec.steps.flatMap((step, index) =>
    isAction(step)
      ? [
          [
            `${index + 1}. ${describeStep(step)}`,
            ...["sent", "queued", "skipped", "failed", "unclear"].map((status) =>
              counts.steps
                .filter(
                  (s) =>
                    s.step === index &&
                    (s.status === status ||
                      (status === "sent" && s.status === "shown") ||
                      (status === "queued" && s.status === "claimed")),
                )
                .reduce((sum, s) => sum + s.n, 0),
            ),
          ],
        ]
      : [],
  );
  return {
    kind: "automation",
    title: `Automation ${automation.name} (${automation.status}, v${automation.version})`,
    summary: `${describeAutomation(spec)}. ${since ? `Live since ${since}: ` : ""}${formatCount(treated.entered + holdout.entered)} entered, ${formatCount(sent)} messages sent, ${formatCount(treated.converted)} of those who got it ordered within ${windowDays} days.${holdoutLine ? ` ${holdoutLine}` : ""}`,
    facts,
    table: {
      columns: [
        { key: "step", label: "Step", format: "text" },
        { key: "sent", label: "Sent", format: "count" },
        { key: "queued", label: "Waiting", format: "count" },
        { key: "skipped", label: "Skipped", format: "count" },
        { key: "failed", label: "Failed", format: "count" },
        { key: "unclear", label: "Unclear", format: "count" },
      ],
      rows: stepRows,
    },
    charts:
      treated.entered + holdout.entered > 0
        ? [
            {
              kind: "bar",
              title: `${automation.name}: entered, sent, clicked, converted`,
              labels: ["Entered", "Sent", "Clicked", `Converted (${windowDays} d)`],
              series: [
                { name: "People", values: [treated.entered, sent, counts.clicked, treated.converted] },
              ],
              format: "count",
            },
          ]
        : [],
    actions: [
      { id: "preview", label: "Preview", command: `automation preview ${automation.name}` },
      automation.status === "live"
        ? { id: "pause", label: "Pause", command: `automation pause ${automation.name}`, style: "danger" }
        : { id: "start", label: "Start", command: `automation start ${automation.name}`, style: "primary" },
    ],
    warnings,
    details: [
      `Owner: ${automation.owner}; created ${formatDay(dayOf(automation.createdAt, zone))}.`,
      ...details,
    ],
    data: {
      schema: "automation/1",
      name: automation.name,
      status: automation.status,
      version: automation.version,
      entered: { treatment: treated.entered, holdout: holdout.entered },
      sends: counts.sends,
      clicked: counts.clicked,
      converted: { treatment: treated.converted, holdout: holdout.converted },
      revenueMinor: treated.revenueMinor,
      unsubscribed: counts.unsubscribed,
      held,
    },
  };
}
