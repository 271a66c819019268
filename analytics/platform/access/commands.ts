import { AppError } from "../base/errors.ts";
import { formatDay } from "../base/format.ts";
import { ROLES, type Role } from "../contract/access.ts";
import type { CliVerb, Command, CommandContext, HomeSection } from "../contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../contract/cli.ts";
import { simpleReport } from "../reports/report.ts";
import { dayOf } from "../time/zone.ts";
import type { AccessControl } from "./control.ts";
import { textColumns } from "./listing.ts";
import {
  type AccessPolicy,
  allowedChannels,
  everyoneElse,
  grantsOf,
  isOpen,
  OPEN_WARNING,
} from "./policy.ts";
import { readWhere, readWho } from "./subjects.ts";

/** What each role may do, in the words the listing and help use. */
export const ROLE_MEANING: Record<Role, string> = {
  viewer: "reads KPIs, campaigns, funnels, experiments, forecasts and the audit",
  analyst: "also sees who people are: customer pages, segment members, churn lists, mentions, exports",
  admin: "also changes and sends: alerts, subscriptions, segments, automations, CRM syncs, privacy, access",
};

const CHANGES = /^\s*(role|remove|channel)\b/i;

const USAGE =
  "access · access role viewer|analyst|admin @user-group · access remove @user-group · access channel #channel · access channel remove #channel";

/** `access`: who may do what in Slack, and (admins) giving roles to user groups and allowing channels. */
export function accessCommand(control: AccessControl, timeZone: string): Command {
  return {
    name: "access",
    aliases: ["roles"],
    summary: "Who may see and do what in Slack: roles by user group, channels for data answers",
    details: `Roles: viewer (${ROLE_MEANING.viewer}), analyst (${ROLE_MEANING.analyst}), admin (${ROLE_MEANING.admin}). With no roles set everyone is an admin. LIFT_ADMINS are admins and LIFT_READERS viewers; once anyone is named a viewer, people with no role may not use Lift. The console and the CLI are admins.`,
    usage: USAGE,
    examples: ["access", "access role analyst @marketing-team", "access channel #growth"],
    mutates: false,
    personal: false,
    mutatesWith: (args) => CHANGES.test(args),
    async run(args, context) {
      const words = args.trim();
      if (words === "" || /^(list|show)$/i.test(words)) return listing(await control.policy(), timeZone);
      const role = /^role\s+(\S+)\s+(.+)$/i.exec(words);
      if (role) return setRole(control, role[1]!.toLowerCase(), role[2]!, context);
      const remove = /^remove\s+(.+)$/i.exec(words);
      if (remove) return removeRule(control, remove[1]!, context);
      const channel = /^channel\s+(remove\s+)?(.+)$/i.exec(words);
      if (channel) return setChannel(control, channel[2]!, Boolean(channel[1]), context);
      throw new AppError("invalid_input", `I could not read “${words.slice(0, 80)}”`, { hint: USAGE });
    },
  };
}

async function setRole(control: AccessControl, roleWord: string, whoText: string, context: CommandContext) {
  const role = ROLES.find((r) => r === roleWord || `${r}s` === roleWord);
  if (!role)
    throw new AppError("invalid_input", `“${roleWord.slice(0, 40)}” is not a role`, {
      hint: "the roles are viewer, analyst and admin",
    });
  const who = readWho(whoText);
  const before = await control.setRole(who, role, context.userId);
  const what =
    before === role ? `was already ${role}` : before ? `is now ${role} (was ${before})` : `is now ${role}`;
  return simpleReport("access", `Access · ${who.label}`, `${who.label} ${what}: ${ROLE_MEANING[role]}.`, {
    command: "access",
  });
}

async function removeRule(control: AccessControl, whoText: string, context: CommandContext) {
  const who = readWho(whoText.replace(/^role\s+/i, ""));
  const removed = await control.remove(who, context.userId);
  if (removed === false)
    throw new AppError("not_found", `${who.label} has no role set with \`access\``, {
      hint: "`access` lists every role; LIFT_ADMINS and LIFT_READERS are changed in the environment",
    });
  const policy = await control.policy();
  const now = everyoneElse(policy);
  return simpleReport(
    "access",
    `Access · ${who.label}`,
    `${who.label} no longer has the ${removed} role; they are ${now ? `${now}s like everyone else` : "like everyone else without a role: no access"}, unless another rule names them.`,
    { command: "access", warnings: isOpen(policy) ? [OPEN_WARNING] : [] },
  );
}

async function setChannel(control: AccessControl, text: string, remove: boolean, context: CommandContext) {
  const where = readWhere(text);
  if (remove) {
    if (!(await control.removeChannel(where, context.userId)))
      throw new AppError(
        "not_found",
        `${where.label} is not one of the channels set with \`access channel\``,
        {
          hint: "`access` lists them; LIFT_CHANNELS is changed in the environment",
        },
      );
    const left = allowedChannels(await control.policy()).length;
    return simpleReport(
      "access",
      `Access · ${where.label}`,
      left === 0
        ? `${where.label} removed: no channel is named now, so Lift answers in every channel it is in.`
        : `${where.label} removed: Lift no longer gives data answers there (DMs still work).`,
      { command: "access" },
    );
  }
  const added = await control.addChannel(where, context.userId);
  return simpleReport(
    "access",
    `Access · ${where.label}`,
    `${where.label} ${added ? "added" : "was already allowed"}: Lift gives data answers there and in the other channels named, and in DMs; in any other channel it asks people to use a DM.`,
    { command: "access" },
  );
}

function listing(policy: AccessPolicy, timeZone: string) {
  const grants = grantsOf(policy);
  const channels = allowedChannels(policy);
  const rest = everyoneElse(policy);
  const when = (at: number | undefined) =>
    at === undefined ? "" : formatDay(dayOf(at, timeZone), { short: true });
  const summary = isOpen(policy)
    ? "No roles are set: everyone in this workspace is an admin."
    : `${grants.length} ${grants.length === 1 ? "rule gives" : "rules give"} roles; everyone else ${rest ? `is a ${rest}` : "may not use Lift"}.`;
  return simpleReport("access", "Access", summary, {
    facts: ROLES.map((role) => ({
      label: role,
      value: String(grants.filter((g) => g.role === role).length),
    })),
    ...(grants.length > 0
      ? {
          table: {
            columns: textColumns([
              ["who", "Who"],
              ["role", "Role"],
              ["from", "Set by"],
              ["since", "Since"],
            ]),
            rows: grants.map((g) => [
              g.kind === "user" && g.label === g.subject ? `<@${g.subject}>` : g.label,
              g.role,
              g.from === "access" ? (g.setBy ?? "") : g.from,
              when(g.setAt),
            ]),
          },
        }
      : {}),
    details: [
      ...ROLES.map((role) => `${role}: ${ROLE_MEANING[role]}.`),
      channels.length === 0
        ? "Channels: data answers in every channel Lift is in, and in DMs."
        : `Channels for data answers: ${channels.map((c) => (c.from === "access" ? c.label : `${c.label} (LIFT_CHANNELS)`)).join(", ")}, and DMs.`,
      "The console and the CLI are admins.",
    ],
    warnings: isOpen(policy) ? [OPEN_WARNING] : [],
    command: "access",
  });
}

/** `lift access [role ROLE WHO | remove WHO | channel [remove] CHANNEL]`: the same from a terminal (as an admin). */
export const accessVerb: CliVerb = {
  name: "access",
  summary: "Who may see and do what in Slack: list, give roles to user groups, allow channels",
  help: `lift access                                  roles by user group and person, channels for data answers
lift access role viewer|analyst|admin @group  give a Slack user group (or U… user id) a role
lift access remove @group                     take its role away
lift access channel [remove] #channel         allow (or stop allowing) data answers in a channel
`,
  async run(args) {
    const { parseArgs } = await import("node:util");
    const { values, positionals } = parseArgs({ args, options: OUTPUT_FLAGS, allowPositionals: true });
    return { command: `access ${positionals.join(" ")}`.trim(), output: outputFlags(values) };
  },
};

/** A home section shown to everyone while no roles are set (everyone is an admin). */
export function accessWarning(control: AccessControl): HomeSection {
  return {
    id: "access-warning",
    order: 0,
    async build() {
      const policy = await control.policy();
      if (!isOpen(policy)) return null;
      return simpleReport("access", "Access", "Everyone here is a Lift admin.", {
        warnings: [OPEN_WARNING],
        command: "access",
      });
    },
  };
}
