import type { WebClient } from "@slack/web-api";
import {
  type AccessPolicy,
  channelAllowed,
  grantsOf,
  roleFor,
} from "../../analytics/platform/access/policy.ts";
import type { Logger } from "../../analytics/platform/base/log.ts";
import type { Role } from "../../analytics/platform/contract/access.ts";

export type Verdict = { ok: true; role: Role } | { ok: false; message: string };

/** A user group's members, the workspace's groups by handle, and a channel's name are looked up at most this often. */
const LOOKUP_TTL_MS = 5 * 60_000;

interface Cached<T> {
  value: T;
  at: number;
}

/**
 * Who may do what in Slack: each person's role from the access rules (the
 * environment's lists and the roles admins give user groups), and the
 * channels data answers may be given in. Slack is asked for user groups'
 * members and channels' names, each kept a few minutes. Refusals are polite
 * and carry no data.
 */
export class Access {
  private readonly members = new Map<string, Cached<Set<string>>>();
  private handles: Cached<Map<string, string>> | null = null;
  private readonly channelNames = new Map<string, Cached<string | undefined>>();

  constructor(
    private readonly policy: () => Promise<AccessPolicy>,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** A person's role, or null when they may not use Lift. */
  async roleOf(client: WebClient, userId: string, policy?: AccessPolicy): Promise<Role | null> {
    policy ??= await this.policy();
    const groups = new Set<string>();
    for (const grant of grantsOf(policy)) {
      if (grant.kind !== "group") continue;
      const id = grant.subject.startsWith("@") ? await this.groupId(client, grant.subject) : grant.subject;
      if (id && (await this.groupMembers(client, id)).has(userId)) groups.add(grant.subject);
    }
    return roleFor(policy, userId, (subject) => groups.has(subject));
  }

  /**
   * Whether a person may be answered here, and with what role: anyone with a role, in a
   * DM, App Home (no channel) or an allowed channel.
   */
  async check(client: WebClient, userId: string, channelId: string | undefined): Promise<Verdict> {
    // One read of the rules serves the role and the channel.
    const policy = await this.policy();
    const role = await this.roleOf(client, userId, policy);
    if (!role)
      return {
        ok: false,
        message:
          "Sorry, Lift's answers are limited to some people in this workspace. Ask a Lift admin to give you a role (`access` shows who has which).",
      };
    if (channelId !== undefined && !channelId.startsWith("D")) {
      const name = policy.rules.some((r) => r.kind === "channel" && r.subject.startsWith("#"))
        ? await this.channelName(client, channelId)
        : undefined;
      if (!channelAllowed(policy, { id: channelId, name }))
        return {
          ok: false,
          message:
            "Lift does not give data answers in this channel. Ask me in a DM, or in one of the channels Lift is set up for (`access` lists them).",
        };
    }
    return { ok: true, role };
  }

  private async groupMembers(client: WebClient, group: string): Promise<Set<string>> {
    const cached = this.members.get(group);
    if (cached && this.now() - cached.at < LOOKUP_TTL_MS) return cached.value;
    try {
      const result = await client.usergroups.users.list({ usergroup: group });
      const value = new Set(result.users ?? []);
      this.members.set(group, { value, at: this.now() });
      return value;
    } catch (error) {
      // A group Slack will not list (deleted, or the scope missing) grants nobody until it can.
      this.logger.warn({ err: error, group }, "could not list a user group's members");
      return new Set();
    }
  }

  private async groupId(client: WebClient, handle: string): Promise<string | undefined> {
    if (!this.handles || this.now() - this.handles.at >= LOOKUP_TTL_MS) {
      try {
        const result = await client.usergroups.list({});
        const value = new Map<string, string>();
        for (const group of result.usergroups ?? [])
          if (group.handle && group.id) value.set(`@${group.handle.toLowerCase()}`, group.id);
        this.handles = { value, at: this.now() };
      } catch (error) {
        this.logger.warn({ err: error }, "could not list the workspace's user groups");
        return undefined;
      }
    }
    return this.handles.value.get(handle);
  }

  private async channelName(client: WebClient, channel: string): Promise<string | undefined> {
    const cached = this.channelNames.get(channel);
    if (cached && this.now() - cached.at < LOOKUP_TTL_MS) return cached.value;
    let value: string | undefined;
    try {
      value = (await client.conversations.info({ channel })).channel?.name ?? undefined;
    } catch (error) {
      this.logger.warn({ err: error, channel }, "could not read a channel's name");
    }
    this.channelNames.set(channel, { value, at: this.now() });
    return value;
  }
}
