import { AppError } from "../../platform/base/errors.ts";
import { formatCount } from "../../platform/base/format.ts";
import type { Command } from "../../platform/commands/registry.ts";
import type { CommandContext } from "../../platform/contract/capability.ts";
import { type Report, simpleReport } from "../../platform/reports/report.ts";
import { confirmation } from "../../platform/subscriptions/words.ts";
import { automationsApi } from "./api.ts";
import { audienceLine } from "./approval.ts";
import { describeAutomation, describeStep } from "./describe.ts";
import { isAction } from "./grammar.ts";
import { automationReport } from "./report.ts";
import { templateReport, templatesReport } from "./template-report.ts";

const CHANGES = /^\s*(?:create|edit|start|resume|pause|stop|delete|remove|approve|reject)\b/i;

const GRAMMAR = `automation create NAME when TRIGGER [with holdout 10%] [including current members], STEP, STEP …
TRIGGER: customer enters|leaves segment "S" · event "A" without "B" within 2 hours · event "A" · an alert opens · every monday at 09:00 [for segment "S"]
STEP: send email TEMPLATE · wait 3 days · wait until 09:00 · if no order … · if an order … · if [not] in segment "S" … · call webhook https://… · post to slack owner|C0123 "text"`;

async function list(context: CommandContext): Promise<Report> {
  const service = automationsApi.of(context.platform);
  const all = await service.list();
  if (all.length === 0)
    return simpleReport("automations", "Automations", "No automations yet.", {
      details: [GRAMMAR],
      actions: [{ id: "templates", label: "Templates", command: "templates" }],
    });
  const rows: (string | number)[][] = [];
  for (const automation of all) {
    const report = await automationReport(service.core, automation);
    const data = report.data as unknown as {
      entered: { treatment: number; holdout: number };
      sends: Record<string, number>;
      converted: { treatment: number };
    };
    rows.push([
      automation.name,
      automation.status,
      service.describe(automation),
      data.entered.treatment + data.entered.holdout,
      (data.sends["sent"] ?? 0) + (data.sends["shown"] ?? 0),
      data.converted.treatment,
    ]);
  }
  return {
    kind: "automations",
    title: "Automations",
    summary: `${formatCount(all.length)} automations, ${formatCount(all.filter((a) => a.status === "live").length)} live. \`automation NAME\` shows one's funnel.`,
    facts: [],
    table: {
      columns: [
        { key: "name", label: "Automation", format: "text" },
        { key: "status", label: "Status", format: "text" },
        { key: "what", label: "What it does", format: "text" },
        { key: "entered", label: "Entered", format: "count" },
        { key: "sent", label: "Sent", format: "count" },
        { key: "converted", label: "Converted", format: "count" },
      ],
      rows,
    },
    charts: [],
    actions: all
      .slice(0, 5)
      .map((a) => ({ id: `open_${a.id}`, label: a.name, command: `automation ${a.name}` })),
    warnings: [],
  };
}

async function preview(context: CommandContext, name: string): Promise<Report> {
  const service = automationsApi.of(context.platform);
  const automation = await service.get(name);
  const spec = service.spec(automation);
  const seen = await service.preview(automation);
  const first = spec.steps.find(isAction);
  if (seen.entering === null || !seen.audience)
    return simpleReport(
      "automation-preview",
      `Preview: ${automation.name}`,
      `${describeAutomation(spec)}. It reacts to what happens from now on, so no one would get anything at this moment; nothing was sent.`,
      { details: [`First action: ${first ? describeStep(first) : "none"}.`] },
    );
  const a = seen.audience;
  if (seen.lastWeek)
    return simpleReport(
      "automation-preview",
      `Preview: ${automation.name}`,
      `${describeAutomation(spec)}. It reacts to what happens from now on; over the last 7 days its events would have enrolled ${audienceLine(a, a.people === 1 ? "person" : "people")}${seen.holdout ? ` (${formatCount(seen.holdout)} more held out)` : ""}. Nothing was sent.`,
      {
        facts: [
          { label: "Last 7 days", value: formatCount(seen.entering) },
          { label: "Accept marketing", value: formatCount(a.consenting) },
          { label: "Suppressed", value: formatCount(a.suppressed) },
        ],
        ...(a.people - a.withEmail > 0
          ? {
              warnings: [
                `${formatCount(a.people - a.withEmail)} of them have no email address (visitors who never signed up): they get no email.`,
              ],
            }
          : {}),
        details: a.sample.map(
          (p) => `${p.id} <${p.email}> would get ${first ? describeStep(first) : "nothing"}`,
        ),
      },
    );
  const what = seen.held > 0 ? "waiting for approval" : "in the segment";
  const going = automation.status === "live" || automation.includeCurrent || seen.held > 0;
  return simpleReport(
    "automation-preview",
    `Preview: ${automation.name}`,
    `${audienceLine(a, what)}${seen.holdout ? ` (${formatCount(seen.holdout)} more held out)` : ""}. ${
      going
        ? `First: ${first ? describeStep(first) : "nothing"}.`
        : "Going live acts on new entrants only: these current members get nothing unless it is created with “including current members”."
    } Nothing was sent.`,
    {
      facts: [
        { label: "In segment", value: formatCount(seen.entering) },
        { label: "Accept marketing", value: formatCount(a.consenting) },
        { label: "Suppressed", value: formatCount(a.suppressed) },
      ],
      ...(seen.needsApproval
        ? { warnings: [`Above the approval threshold: sending to them waits for an admin's Approve.`] }
        : {}),
      details: a.sample.map(
        (p) => `${p.id} <${p.email}> would get ${first ? describeStep(first) : "nothing"}`,
      ),
    },
  );
}

export const automationsCommand: Command = {
  name: "automations",
  aliases: [],
  summary: "Marketing automations: each one's status, entrants, sends and conversions",
  usage: "automations",
  examples: ["automations"],
  mutates: false,
  personal: false,
  run: (_args, context) => list(context),
};

export const automationCommand: Command = {
  name: "automation",
  aliases: [],
  summary: "Create, preview, start, pause, approve or delete an automation; its funnel",
  usage:
    "automation NAME · automation create NAME when … · automation preview NAME · automation start|pause|delete NAME · automation approve|reject NAME · automation edit NAME when …",
  examples: [
    'automation create win-back when customer enters segment "can\'t lose them" send email win-back-1, wait 3 days, if no order send email win-back-2',
    'automation create abandoned-cart when event "Product Added" without "Order Completed" within 2 hours send email abandoned-cart',
    "automation preview win-back",
    "automation win-back",
  ],
  details: GRAMMAR,
  mutates: false,
  personal: true,
  mutatesWith: (args) => CHANGES.test(args),
  run: async (args, context) => {
    const service = automationsApi.of(context.platform);
    const text = args.trim();
    const create = /^(create|edit)\s+(\S+)\s+(.+)$/is.exec(text);
    if (create) {
      const editing = create[1]!.toLowerCase() === "edit";
      const automation = editing
        ? await service.edit(create[2]!, create[3]!, context)
        : await service.create(create[2]!, create[3]!, context);
      const next = editing
        ? `Version ${automation.version}: runs in progress go on at their step; no one gets a step twice.`
        : `It is a draft: \`automation preview ${automation.name}\` shows who it would reach, \`automation start ${automation.name}\` makes it live.`;
      return confirmation(`Automation ${automation.name}`, `${service.describe(automation)}. ${next}`, [
        { id: "preview", label: "Preview", command: `automation preview ${automation.name}` },
        ...(automation.status === "live"
          ? []
          : [
              {
                id: "start",
                label: "Start",
                command: `automation start ${automation.name}`,
                style: "primary" as const,
              },
            ]),
      ]);
    }
    if (/^(create|edit)\b/i.test(text))
      throw new AppError("invalid_input", "automation create NAME when TRIGGER, STEPS", { hint: GRAMMAR });
    const verb = /^(preview|start|resume|pause|stop|delete|remove|approve|reject)\s+(\S+)\s*$/i.exec(text);
    if (verb) {
      const name = verb[2]!;
      switch (verb[1]!.toLowerCase()) {
        case "preview":
          return preview(context, name);
        case "start":
        case "resume": {
          const automation = await service.start(name, context);
          return confirmation(
            `Automation ${automation.name} is live`,
            `${service.describe(automation)}. Checked every minute; ${automation.includeCurrent ? "the segment's current members are enrolled on the first pass" : "it acts on new entrants from now on"}.`,
            [{ id: "open", label: "Show it", command: `automation ${automation.name}` }],
          );
        }
        case "pause":
        case "stop": {
          const automation = await service.pause(name, context);
          return confirmation(
            `Automation ${automation.name} is paused`,
            "Nothing is enrolled or sent until it starts again; what waits is kept.",
            [{ id: "start", label: "Start again", command: `automation start ${automation.name}` }],
          );
        }
        case "delete":
        case "remove": {
          const automation = await service.remove(name, context);
          return confirmation(
            `Automation ${automation.name} is deleted`,
            "Its runs and outbox are gone; the audit log keeps who deleted it.",
          );
        }
        default: {
          const approve = verb[1]!.toLowerCase() === "approve";
          const { automation, runs } = await service.decide(name, approve, context);
          return confirmation(
            `${approve ? "Approved" : "Rejected"}: ${automation.name}`,
            approve
              ? `${formatCount(runs)} customers go on now (consent, suppression, the weekly cap and quiet hours still apply).`
              : `${formatCount(runs)} customers were dropped from this send; none of them gets it. Later entrants are handled as before.`,
            [{ id: "open", label: "Show it", command: `automation ${automation.name}` }],
          );
        }
      }
    }
    if (text === "") return list(context);
    return automationReport(service.core, await service.get(text));
  },
};

export const templatesCommand: Command = {
  name: "templates",
  aliases: [],
  summary: "Email templates: the library and the workspace's own",
  usage: "templates",
  examples: ["templates"],
  mutates: false,
  personal: false,
  run: (_args, context) => templatesReport(automationsApi.of(context.platform).core),
};

export const templateCommand: Command = {
  name: "template",
  aliases: [],
  summary: "One email template, rendered for a sample customer (text, and an HTML view)",
  usage: "template NAME",
  examples: ["template win-back-1"],
  mutates: false,
  personal: false,
  run: (args, context) => templateReport(automationsApi.of(context.platform).core, args.trim()),
};
