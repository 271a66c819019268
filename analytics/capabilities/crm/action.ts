import { linkedCustomers } from "../../../db/crm/pull.ts";
import {
  addFailures,
  changeListMembers,
  customersWithEmail,
  findList,
  listMembers,
  saveLinks,
  saveList,
} from "../../../db/crm/push.ts";
import { AppError } from "../../platform/base/errors.ts";
import { type ActionOutcome, type AutomationAction, automationsApi } from "../automations/index.ts";
import { CrmError, PROVIDER_LABELS, type Provider } from "./connector.ts";
import { CrmCore } from "./core.ts";

const LIST =
  /^add\s+(?:them\s+|the\s+customer\s+)?to\s+(?:the\s+)?(?:(hubspot|salesforce)\s+)?(?:crm\s+)?(?:list|campaign)\s+(?:"([^"]+)"|“([^”]+)”|(\S+))(?:\s+(?:in|on)\s+(hubspot|salesforce))?$/i;

/**
 * The automation action "add to crm list "VIP" in hubspot": each person due is found or made
 * in the CRM (email, name, opt-out) and added to the list (a HubSpot static list, a Salesforce
 * campaign) in one call for all of them. A list an automation fills is not a segment's: `crm
 * push` leaves it alone.
 */
export function crmListAction(core: CrmCore): AutomationAction {
  return {
    kind: "crm_list",
    example: 'add to crm list "VIP" in hubspot',
    read(text) {
      const m = LIST.exec(text.trim());
      if (!m) return null;
      const provider = m[1] ?? m[5];
      if (!provider)
        throw new AppError("invalid_input", "Say which CRM the list is in", {
          hint: 'add to crm list "VIP" in hubspot (or in salesforce)',
        });
      return { provider: CrmCore.provider(provider), list: (m[2] ?? m[3] ?? m[4])! };
    },
    describe: (args) => `add to ${PROVIDER_LABELS[args["provider"] as Provider]} list “${args["list"]}”`,
    async check(args) {
      core.connector(args["provider"] as Provider);
    },
    async perform(args, people) {
      const provider = args["provider"] as Provider;
      const outcomes = new Map<string, ActionOutcome>();
      try {
        await addToList(core, provider, args["list"]!, people, outcomes);
      } catch (error) {
        if (!(error instanceof CrmError)) throw error;
        for (const p of people)
          if (!outcomes.has(p.key))
            outcomes.set(
              p.key,
              error.kind === "refused" || error.kind === "invalid"
                ? { status: "failed", reason: error.message }
                : {
                    status: "retry",
                    reason: error.message,
                    ...(error.retryAfterMs ? { retryAfterMs: error.retryAfterMs } : {}),
                  },
            );
      }
      return outcomes;
    },
  };
}

async function addToList(
  core: CrmCore,
  provider: Provider,
  name: string,
  people: readonly { personId: string; key: string }[],
  outcomes: Map<string, ActionOutcome>,
): Promise<void> {
  const connector = core.connector(provider);
  const now = core.context.now();
  const customers = new Map(
    (
      await customersWithEmail(
        core.tables,
        people.map((p) => p.personId),
      )
    ).map((c) => [c.id, c]),
  );
  for (const p of people)
    if (!customers.has(p.personId))
      outcomes.set(p.key, { status: "failed", reason: "no email address to find them by in the CRM" });
  const links = new Map(
    [...(await linkedCustomers(core.tables, provider))].map(([crmId, id]) => [id, crmId]),
  );
  const automations = automationsApi.of(core.context.platform).core;
  const records = [];
  for (const c of customers.values())
    records.push({
      customerId: c.id,
      email: c.email.toLowerCase(),
      crmId: links.get(c.id) ?? null,
      firstName: typeof c.traits["first_name"] === "string" ? c.traits["first_name"] : null,
      lastName: typeof c.traits["last_name"] === "string" ? c.traits["last_name"] : null,
      properties: {},
      optedOut: await automations.isSuppressed(c.email),
    });
  // The fields a write needs (the opt-out; Salesforce's external id), found or made once a process.
  if (records.some((r) => !r.crmId) && !core.fieldsReady.has(provider)) await connector.ensureFields([]);
  const crmIds = new Map<string, string>();
  const refused: { email: string; reason: string }[] = [];
  for (let i = 0; i < records.length; i += connector.batchSize) {
    // Records Lift already knows go straight to the list; the rest are found or made first.
    const fresh = records.slice(i, i + connector.batchSize).filter((r) => !r.crmId);
    for (const r of records.slice(i, i + connector.batchSize)) if (r.crmId) crmIds.set(r.customerId, r.crmId);
    if (fresh.length === 0) continue;
    const result = await connector.upsert(fresh);
    await saveLinks(
      core.tables,
      provider,
      result.ok.map((o) => ({ ...o, object: o.crmId.startsWith("00Q") ? "lead" : "contact" })),
      now,
    );
    for (const o of result.ok) crmIds.set(o.customerId, o.crmId);
    for (const r of result.refused) refused.push({ email: r.email, reason: r.reason });
  }
  let list = await findList(core.tables, provider, name);
  if (!list)
    list = await saveList(
      core.tables,
      { provider, segment: "", name, listId: await connector.ensureList(name), owner: "automation" },
      now,
    );
  const current = await listMembers(core.tables, list.id);
  const adding = [...crmIds]
    .filter(([id]) => !current.has(id))
    .map(([customerId, crmId]) => ({ customerId, crmId }));
  const change =
    adding.length > 0
      ? await connector.changeMembers(list.listId, adding, [])
      : { added: [], removed: [], refused: [] };
  await changeListMembers(core.tables, list.id, change.added, [], now);
  const reasons = new Map([...refused.map((r) => [r.email, r.reason] as const)]);
  for (const r of change.refused)
    reasons.set(customers.get(r.customerId)?.email.toLowerCase() ?? r.customerId, r.reason);
  await addFailures(
    core.tables,
    provider,
    [...reasons].map(([email, reason]) => ({ email, reason })),
    now,
  );
  for (const p of people) {
    if (outcomes.has(p.key)) continue;
    const email = customers.get(p.personId)!.email.toLowerCase();
    const reason = reasons.get(email);
    outcomes.set(p.key, reason ? { status: "failed", reason } : { status: "sent" });
  }
}
