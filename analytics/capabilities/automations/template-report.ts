import { templates as workspaceTemplates } from "../../../db/automations/queries.ts";
import { AppError } from "../../platform/base/errors.ts";
import { formatDay } from "../../platform/base/format.ts";
import { type Report, simpleReport } from "../../platform/reports/report.ts";
import { dayOf } from "../../platform/time/zone.ts";
import type { AutomationsCore } from "./core.ts";
import { DEMO_TEMPLATES } from "./library.ts";
import { type Rendered, renderTemplate, type TemplateSource } from "./templates.ts";

/** The made-up customer templates are previewed for: never a real person's data in a preview. */
export const SAMPLE = {
  email: "alex@example.com",
  customer_id: "sample-customer",
  first_name: "Alex",
  name: "Alex Sample",
  traits: { first_name: "Alex", country: "US", plan: "pro" },
};

export async function allTemplates(core: AutomationsCore) {
  const own = await workspaceTemplates(core.context.tables);
  const names = new Set(own.map((t) => t.name));
  return [
    ...own.map((t) => ({ ...t, source: "workspace" as const })),
    ...DEMO_TEMPLATES.filter((t) => !names.has(t.name)).map((t) => ({ ...t, source: "library" as const })),
  ].sort((a, b) => a.name.localeCompare(b.name));
}

export function renderSample(core: AutomationsCore, template: TemplateSource): Rendered {
  return renderTemplate(template, SAMPLE, {
    unsubscribeUrl:
      template.kind === "marketing" ? `${core.publicUrl}/v1/unsubscribe/(a link for each message)` : null,
  });
}

export async function templatesReport(core: AutomationsCore): Promise<Report> {
  const all = await allTemplates(core);
  const zone = core.context.platform.settings.timeZone;
  return {
    kind: "templates",
    title: "Email templates",
    summary: `${all.length} templates: ${all.filter((t) => t.source === "workspace").length} of the workspace's own, the rest from Lift's library. \`template NAME\` shows one rendered; \`lift templates add NAME FILE\` or the console's editor adds one.`,
    facts: [],
    table: {
      columns: [
        { key: "name", label: "Template", format: "text" },
        { key: "kind", label: "Kind", format: "text" },
        { key: "subject", label: "Subject", format: "text" },
        { key: "source", label: "From", format: "text" },
      ],
      rows: all.map((t) => [
        t.name,
        t.kind,
        t.subject,
        t.source === "library"
          ? "Lift's library"
          : `edited ${formatDay(dayOf(t.updatedAt, zone))} by ${t.updatedBy}`,
      ]),
    },
    charts: [],
    actions: all
      .slice(0, 5)
      .map((t) => ({ id: `template_${t.name}`, label: t.name, command: `template ${t.name}` })),
    warnings: [],
  };
}

export async function templateReport(core: AutomationsCore, name: string): Promise<Report> {
  const key = name.trim().toLowerCase();
  if (key === "") return templatesReport(core);
  const template = await core.template(key);
  if (!template)
    throw new AppError("not_found", `There is no template “${name}”`, {
      hint: `templates: ${(await allTemplates(core)).map((t) => t.name).join(", ")}`,
    });
  const rendered = renderSample(core, template);
  return simpleReport(
    "template",
    `Template ${template.name} (${template.kind})`,
    `Subject: ${rendered.subject}`,
    {
      facts: [
        { label: "From", value: template.fromAddress ?? core.settings.LIFT_EMAIL_FROM },
        ...(template.replyTo ? [{ label: "Reply to", value: template.replyTo }] : []),
      ],
      details: [`Rendered for a sample customer (Alex):`, ...rendered.text.trimEnd().split("\n")],
      quotes: [
        {
          url: `${core.publicUrl}/console/templates/${encodeURIComponent(template.name)}`,
          text: "HTML view in the console",
        },
        {
          url: `${core.publicUrl}/console/templates/${encodeURIComponent(template.name)}/edit`,
          text: "Edit in the console",
        },
      ],
    },
  );
}
