import type { WebClient } from "@slack/web-api";

export interface AccessRules {
  /** Slack user ids who may change things; everyone when empty. */
  admins: string[];
  /** User ids and user group ids (S…) who may read; everyone when empty. */
  readers: string[];
  /** Channels Lift answers in; all when empty. DMs and App Home are always allowed to readers. */
  channels: string[];
}

export type Verdict = { ok: true } | { ok: false; message: string };

/** A user group's members are looked up at most this often. */
const GROUP_TTL_MS = 5 * 60_000;

/**
 * Who may read and who may change, checked on every command and button.
 * Refusals are polite and carry no data.
 */
export class Access {
  private readonly groups = new Map<string, { members: Set<string>; at: number }>();

  constructor(
    private readonly rules: AccessRules,
    private readonly now: () => number = Date.now,
  ) {}

  canChange(userId: string): Verdict {
    if (this.rules.admins.length === 0 || this.rules.admins.includes(userId)) return { ok: true };
    return {
      ok: false,
      message:
        "Only Lift's admins can change subscriptions, alerts and experiments here. Ask one of them, or ask for it to be done for you.",
    };
  }

  async canRead(client: WebClient, userId: string, channelId: string | undefined): Promise<Verdict> {
    if (!(await this.isReader(client, userId))) {
      return {
        ok: false,
        message:
          "Sorry, Lift's answers are limited to some people in this workspace. Ask a Lift admin to add you (LIFT_READERS).",
      };
    }
    const direct = channelId === undefined || channelId.startsWith("D");
    if (!direct && this.rules.channels.length > 0 && !this.rules.channels.includes(channelId)) {
      return {
        ok: false,
        message:
          "Lift does not answer in this channel. Ask me in a DM, or in one of the channels Lift is set up for (LIFT_CHANNELS).",
      };
    }
    return { ok: true };
  }

  private async isReader(client: WebClient, userId: string): Promise<boolean> {
    const { readers } = this.rules;
    if (readers.length === 0 || readers.includes(userId)) return true;
    for (const group of readers.filter((id) => id.startsWith("S"))) {
      if ((await this.members(client, group)).has(userId)) return true;
    }
    return false;
  }

  private async members(client: WebClient, group: string): Promise<Set<string>> {
    const cached = this.groups.get(group);
    if (cached && this.now() - cached.at < GROUP_TTL_MS) return cached.members;
    const result = await client.usergroups.users.list({ usergroup: group });
    const members = new Set(result.users ?? []);
    this.groups.set(group, { members, at: this.now() });
    return members;
  }
}
