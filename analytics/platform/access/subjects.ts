import { AppError } from "../base/errors.ts";

/** Who a rule is for, as typed: a user group or a user, by Slack id or @handle. */
export interface Who {
  kind: "group" | "user";
  /** The Slack id, or the group's @handle (lower case) when no id was given. */
  subject: string;
  label: string;
}

export interface Where {
  /** The channel id, or its #name (lower case) when no id was given. */
  subject: string;
  label: string;
}

const WHO_HINT =
  "name a user group as @marketing-team (or pick it from Slack's list), or a person as a mention (@Grace, picked from the list) or a user id like U024BE7LH";

/**
 * Reads who a rule is for: Slack's escaped forms (`<!subteam^S0614TZR7|@marketing-team>`,
 * `<@U024BE7LH|grace>`), bare ids (S…, U…, W…), or a user group's @handle as a slash command
 * sends it unescaped.
 */
export function readWho(text: string): Who {
  const t = text.trim();
  const group = /^<!subteam\^(S[A-Z0-9]{2,})(?:\|@?([^>]+))?>$/.exec(t);
  if (group) return { kind: "group", subject: group[1]!, label: group[2] ? `@${group[2]}` : group[1]! };
  const user = /^<@([UW][A-Z0-9]{2,})(?:\|([^>]+))?>$/.exec(t);
  if (user) return { kind: "user", subject: user[1]!, label: user[1]! };
  if (/^S[A-Z0-9]{2,}$/.test(t)) return { kind: "group", subject: t, label: t };
  if (/^[UW][A-Z0-9]{2,}$/.test(t)) return { kind: "user", subject: t, label: t };
  const handle = /^@([a-z0-9][a-z0-9._-]{0,79})$/i.exec(t);
  if (handle)
    return { kind: "group", subject: `@${handle[1]!.toLowerCase()}`, label: `@${handle[1]!.toLowerCase()}` };
  throw new AppError(
    "invalid_input",
    `I could not read “${t.slice(0, 80)}” as a Slack user group or person`,
    {
      hint: WHO_HINT,
    },
  );
}

/** Reads a channel: `<#C024BE91L|growth>`, an id (C…, G…), or #name. */
export function readWhere(text: string): Where {
  const t = text.trim();
  const escaped = /^<#([CG][A-Z0-9]{2,})(?:\|([^>]*))?>$/.exec(t);
  if (escaped) return { subject: escaped[1]!, label: escaped[2] ? `#${escaped[2]}` : escaped[1]! };
  if (/^[CG][A-Z0-9]{2,}$/.test(t)) return { subject: t, label: t };
  const name = /^#([a-z0-9][a-z0-9_-]{0,79})$/i.exec(t);
  if (name) return { subject: `#${name[1]!.toLowerCase()}`, label: `#${name[1]!.toLowerCase()}` };
  throw new AppError("invalid_input", `I could not read “${t.slice(0, 80)}” as a Slack channel`, {
    hint: "name it as #growth, or a channel id like C024BE91L",
  });
}
