import { saveTemplate } from "../../../db/automations/queries.ts";
import { AppError } from "../../platform/base/errors.ts";
import type { CapabilityContext } from "../../platform/contract/capability.ts";
import { checkTemplate, type TemplateSource } from "./templates.ts";

/** Saves a workspace template (checked: its merge fields and links) and audits who did. */
export async function saveTemplateAs(
  context: CapabilityContext,
  name: string,
  template: Omit<TemplateSource, "name">,
  actor: string,
): Promise<string> {
  const key = name.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(key))
    throw new AppError("invalid_input", `“${name}” cannot be a template's name`, {
      hint: "letters, digits, - and _, e.g. win-back-1",
    });
  checkTemplate(template);
  await saveTemplate(context.tables, {
    name: key,
    subject: template.subject.trim(),
    body: template.body,
    fromAddress: template.fromAddress ?? null,
    replyTo: template.replyTo ?? null,
    kind: template.kind,
    updatedAt: context.now(),
    updatedBy: actor,
  });
  await context.platform.audit(actor, "template.save", { name: key, subject: template.subject.trim() });
  return key;
}

/**
 * A template file: optional header lines (Subject:, From:, Reply-To:, Kind:) then a blank line
 * and the body; without a Subject: line the body's first line is the subject.
 */
export function readTemplateFile(text: string): Omit<TemplateSource, "name"> {
  const lines = text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n/g, "\n")
    .split("\n");
  const headers: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^(subject|from|reply-to|kind):\s*(.*)$/i.exec(lines[i]!);
    if (!m) break;
    headers[m[1]!.toLowerCase()] = m[2]!.trim();
  }
  let body = lines.slice(i).join("\n").replace(/^\n+/, "");
  let subject = headers["subject"];
  if (subject === undefined) {
    const [first, ...rest] = body.split("\n");
    subject = (first ?? "").trim();
    body = rest.join("\n").replace(/^\n+/, "");
  }
  const kind = (headers["kind"] ?? "marketing").toLowerCase();
  if (kind !== "marketing" && kind !== "transactional")
    throw new AppError("invalid_input", `Kind: ${headers["kind"]} is neither marketing nor transactional`);
  return { subject, body, fromAddress: headers["from"] ?? null, replyTo: headers["reply-to"] ?? null, kind };
}
