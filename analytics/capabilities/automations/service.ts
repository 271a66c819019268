import {
  type AutomationRow,
  automationByName,
  deleteAutomation,
  insertAutomation,
  listAutomations,
  moveRuns,
  runsOf,
  updateAutomation,
} from "../../../db/automations/queries.ts";
import { AppError } from "../../platform/base/errors.ts";
import type { Asker } from "../../platform/contract/api.ts";
import type { Notifier } from "../../platform/delivery/notifier.ts";
import { segmentsService } from "../segments/index.ts";
import { type AutomationAction, actionPoint } from "./api.ts";
import { type Audience, audience } from "./approval.ts";
import type { AutomationsCore } from "./core.ts";
import { type DeliveryTally, deliver } from "./delivery.ts";
import { describeAutomation } from "./describe.ts";
import { Engine, eventEntrants, inHoldout, segmentMembers } from "./engine.ts";
import { type AutomationSpec, parseAutomation, specOf, triggerSegment } from "./grammar.ts";

/*
 * Automations as people manage them: created as drafts from the language, started, paused,
 * edited (a new version), approved or rejected when a bulk send waits, deleted — every change
 * by an admin and in the audit log.
 */

const WEEK_MS = 7 * 86_400_000;

export const automationKey = (name: string) => name.trim().toLowerCase();

export interface Preview {
  /** People the trigger would enrol now (a segment's members, or the runs held), or null when it waits for events. */
  entering: number | null;
  holdout: number;
  /** The treated ones, counted by address, consent and suppression. */
  audience: Audience | null;
  /** Would need approval (above the threshold). */
  needsApproval: boolean;
  /** Runs waiting for approval. */
  held: number;
  /** An event trigger: `entering` counts who its events would have enrolled over the last 7 days. */
  lastWeek: boolean;
}

export class Automations {
  constructor(readonly core: AutomationsCore) {}

  private get tables() {
    return this.core.context.tables;
  }

  list(): Promise<AutomationRow[]> {
    return listAutomations(this.tables);
  }

  async get(name: string): Promise<AutomationRow> {
    const row = await automationByName(this.tables, automationKey(name));
    if (row) return row;
    const names = (await this.list()).map((a) => a.name);
    throw new AppError("not_found", `There is no automation “${name}”`, {
      hint: names.length ? `automations: ${names.join(", ")}` : "none yet: `automation create NAME when …`",
    });
  }

  spec(automation: AutomationRow): AutomationSpec {
    return specOf(automation);
  }

  /** Checks what a spec names exists: its segments and templates. */
  /** The actions other capabilities add (add to a CRM list …). */
  private actions(): readonly AutomationAction[] {
    return this.core.context.extensions(actionPoint);
  }

  private async check(spec: AutomationSpec): Promise<void> {
    const segments = segmentsService.of(this.core.context.platform);
    const names = [
      triggerSegment(spec.trigger),
      ...spec.steps.map((s) =>
        s.kind === "if" && s.condition.kind === "in_segment" ? s.condition.segment : undefined,
      ),
    ].filter((name) => name !== undefined);
    for (const name of names) await segments.get(name);
    for (const step of spec.steps)
      if (step.kind === "action")
        await this.actions()
          .find((a) => a.kind === step.action)
          ?.check?.(step.args);
      else if (step.kind === "email" && !(await this.core.template(step.template)))
        throw new AppError("not_found", `There is no template “${step.template}”`, {
          hint: "`templates` lists them; `lift templates add NAME FILE` adds one",
        });
  }

  async create(name: string, definition: string, asker: Asker): Promise<AutomationRow> {
    const key = automationKey(name);
    if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(key))
      throw new AppError("invalid_input", `“${name}” cannot be an automation's name`, {
        hint: "letters, digits, - and _ (40 at most), e.g. win-back",
      });
    if (await automationByName(this.tables, key))
      throw new AppError("conflict", `There is an automation “${key}” already`, {
        hint: `automation edit ${key} when …, or automation delete ${key}`,
      });
    const spec = parseAutomation(definition, this.actions());
    await this.check(spec);
    const now = this.core.context.now();
    await insertAutomation(this.tables, {
      name: key,
      owner: asker.userId,
      channel: asker.channelId && asker.channelId !== "cli" ? asker.channelId : "console",
      status: "draft",
      version: 1,
      definition: definition.trim(),
      spec: JSON.stringify(spec),
      holdout: spec.holdout,
      includeCurrent: spec.includeCurrent,
      createdAt: now,
      updatedAt: now,
    });
    await this.core.context.platform.audit(asker.userId, "automation.create", {
      name: key,
      definition: definition.trim(),
    });
    return this.get(key);
  }

  /** A new version of the steps and trigger; runs in progress go on at their step number. */
  async edit(name: string, definition: string, asker: Asker): Promise<AutomationRow> {
    const automation = await this.get(name);
    const spec = parseAutomation(definition, this.actions());
    await this.check(spec);
    const triggerChanged = JSON.stringify(spec.trigger) !== JSON.stringify(this.spec(automation).trigger);
    await updateAutomation(this.tables, automation.id, {
      version: automation.version + 1,
      definition: definition.trim(),
      spec: JSON.stringify(spec),
      holdout: spec.holdout,
      includeCurrent: spec.includeCurrent,
      updatedAt: this.core.context.now(),
      // A new trigger reads from now on (a new segment's current members are not entrants).
      ...(triggerChanged
        ? { cursor: "{}", liveSince: automation.status === "live" ? this.core.context.now() : null }
        : {}),
    });
    await this.core.context.platform.audit(asker.userId, "automation.edit", {
      name: automation.name,
      version: automation.version + 1,
      definition: definition.trim(),
    });
    return this.get(automation.name);
  }

  async start(name: string, asker: Asker): Promise<AutomationRow> {
    const automation = await this.get(name);
    if (automation.status === "live") return automation;
    await this.check(this.spec(automation));
    const now = this.core.context.now();
    await updateAutomation(this.tables, automation.id, {
      status: "live",
      liveSince: automation.liveSince ?? now,
      updatedAt: now,
    });
    await this.core.context.platform.audit(asker.userId, "automation.start", { name: automation.name });
    return this.get(automation.name);
  }

  async pause(name: string, asker: Asker): Promise<AutomationRow> {
    const automation = await this.get(name);
    await updateAutomation(this.tables, automation.id, {
      status: "paused",
      updatedAt: this.core.context.now(),
    });
    await this.core.context.platform.audit(asker.userId, "automation.pause", { name: automation.name });
    return this.get(automation.name);
  }

  async remove(name: string, asker: Asker): Promise<AutomationRow> {
    const automation = await this.get(name);
    await deleteAutomation(this.tables, automation.id);
    await this.core.context.platform.audit(asker.userId, "automation.delete", {
      name: automation.name,
      version: automation.version,
    });
    return automation;
  }

  /** Lets the runs held for approval go (from now), or drops them. */
  async decide(
    name: string,
    approve: boolean,
    asker: Asker,
  ): Promise<{ automation: AutomationRow; runs: number }> {
    const automation = await this.get(name);
    const runs = await moveRuns(
      this.tables,
      automation.id,
      "held",
      approve ? "active" : "rejected",
      approve ? this.core.context.now() : undefined,
    );
    if (runs === 0)
      throw new AppError("conflict", `Nothing of “${automation.name}” waits for approval`, {
        hint: `automation ${automation.name} shows what it sent`,
      });
    await this.core.context.platform.audit(
      asker.userId,
      approve ? "automation.approve" : "automation.reject",
      {
        name: automation.name,
        runs,
      },
    );
    return { automation, runs };
  }

  /** Who the automation would reach now, without sending: the runs held for approval, or its segment's members. */
  async preview(automation: AutomationRow): Promise<Preview> {
    const spec = this.spec(automation);
    let people: string[] | null = null;
    const held = await runsOf(this.tables, automation.id, "held");
    if (held.length > 0) people = held.map((r) => r.personId);
    else {
      const segment = triggerSegment(spec.trigger);
      if (segment) people = [...(await segmentMembers(this.core.context.platform, segment))];
    }
    let lastWeek = false;
    if (!people && spec.trigger.kind === "event") {
      // What it would have done over the last 7 days: the people whose events would have enrolled them.
      const now = this.core.context.now();
      const found = await eventEntrants(this.core.context.platform, spec.trigger, now - WEEK_MS, now);
      people = [...new Set(found.map((e) => e.personId))];
      lastWeek = true;
    }
    if (!people)
      return { entering: null, holdout: 0, audience: null, needsApproval: false, held: 0, lastWeek };
    const treated = people.filter((id) => !inHoldout(automation.id, id, automation.holdout));
    return {
      entering: people.length,
      holdout: people.length - treated.length,
      audience: await audience(this.core, treated),
      needsApproval: !lastWeek && treated.length > this.core.settings.LIFT_APPROVAL_THRESHOLD,
      held: held.length,
      lastWeek,
    };
  }

  /** One pass of the engine and of delivery, for the instant given (the job's, or now). */
  async runNow(
    notifier: Notifier | null,
    now = this.core.context.now(),
    options: { signal?: AbortSignal; outboxOnly?: boolean } = {},
  ): Promise<{ enrolled: number; moved: number; tally: DeliveryTally }> {
    const { enrolled, moved } = await new Engine(this.core).pass(now, notifier, options.signal);
    const tally = await deliver(this.core, now, notifier, options);
    return { enrolled, moved, tally };
  }

  describe(automation: AutomationRow): string {
    return describeAutomation(this.spec(automation));
  }
}
