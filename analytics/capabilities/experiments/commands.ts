import type { ExperimentRow } from "../../../db/experiments/queries.ts";
import { AppError } from "../../platform/base/errors.ts";
import { formatCount, formatDay } from "../../platform/base/format.ts";
import type { Command } from "../../platform/commands/registry.ts";
import type { CommandContext } from "../../platform/contract/capability.ts";
import { answerFreshness } from "../../platform/metrics/freshness.ts";
import { channelRef } from "../../platform/reports/refs.ts";
import { type Report, simpleReport } from "../../platform/reports/report.ts";
import { confirmation, durationMs } from "../../platform/subscriptions/words.ts";
import { addDays, dayOf, isDay, startOfDayMs } from "../../platform/time/zone.ts";
import { experimentsService } from "./api.ts";
import { experimentReport, leading, VERDICT_WORDS, verdictSentence } from "./report.ts";
import type { Analysis } from "./service.ts";

const CHANGES = /^\s*(set|ship|stop|snooze|unsnooze)\b/i;

/** Words in a command, with "quoted phrases" and Slack mentions kept whole. */
export function tokens(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|“([^”]*)”|(<[^>]+>)|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
}

function percentOf(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!(value > 0 && value < 100))
    throw new AppError("invalid_input", `${what} ${text} is not a percentage`, { hint: `e.g. ${what} 5%` });
  return value / 100;
}

function wholeNumber(text: string | undefined, what: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new AppError("invalid_input", `${what} takes a whole number from ${min} to ${formatCount(max)}`);
  return value;
}

function channelIn(text: string): string | null {
  if (/^(none|default)$/i.test(text)) return null;
  if (/^console$/i.test(text)) return "console";
  const mention = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(text) ?? /^([CG][A-Z0-9]{2,})$/.exec(text);
  if (mention) return mention[1]!;
  throw new AppError("invalid_input", `“${text}” is not a channel Lift can post to`, {
    hint: "pick it from Slack's list (type # and choose it), or give its id (C024BE91L), or console",
  });
}

const SET_KEYS =
  "goal, split, variants, control, channel, mde, window, cap, name, hypothesis, owner, guardrails, min days, min people, tuning, start, end";

/** Applies `experiment set <id> …` to a row: every key checked, nothing saved on an error. */
// Long on purpose: one case per setting `experiment set` reads, each a few lines with its own refusal.
export function applySettings(
  row: ExperimentRow,
  words: string[],
  timeZone: string,
  seen: string[],
): ExperimentRow {
  const next: ExperimentRow = { ...row };
  const settings = JSON.parse(row.settings || "{}") as Record<string, number>;
  let variants = JSON.parse(row.variants || "[]") as { id: string; weight: number }[];
  if (variants.length === 0) variants = seen.map((id) => ({ id, weight: 1 }));
  for (let i = 0; i < words.length; i++) {
    const key = words[i]!.toLowerCase();
    const value = words[i + 1];
    const need = () => {
      if (value === undefined)
        throw new AppError("invalid_input", `experiment set: “${key}” needs a value`, {
          hint: `keys: ${SET_KEYS}`,
        });
      i++;
      return value;
    };
    switch (key) {
      case "goal": {
        const goal = need().trim();
        next.goal = /^orders?$/i.test(goal) ? "orders" : /^revenue$/i.test(goal) ? "revenue" : goal;
        break;
      }
      case "variants": {
        const ids = need()
          .split(/[,/]/)
          .map((v) => v.trim())
          .filter(Boolean);
        if (ids.length < 2) throw new AppError("invalid_input", "An experiment needs at least two variants");
        variants = ids.map((id) => ({ id, weight: variants.find((v) => v.id === id)?.weight ?? 1 }));
        break;
      }
      case "split": {
        const parts = need().split("/").map(Number);
        if (parts.some((p) => !(p > 0)))
          throw new AppError("invalid_input", "split takes weights like 50/50 or 34/33/33");
        if (variants.length > 0 && parts.length !== variants.length)
          throw new AppError(
            "invalid_input",
            `split has ${parts.length} weights, the experiment ${variants.length} variants (${variants.map((v) => v.id).join(", ")})`,
            { hint: "set the variants first: experiment set ID variants A,B split 50/50" },
          );
        variants = (
          variants.length > 0
            ? variants
            : parts.map((_, k) => ({ id: String.fromCharCode(65 + k), weight: 1 }))
        ).map((v, k) => ({ ...v, weight: parts[k]! }));
        break;
      }
      case "control":
        next.control = need().trim();
        break;
      case "channel":
        next.channel = channelIn(need());
        break;
      case "mde":
        next.mde = percentOf(need(), "mde");
        break;
      case "window": {
        const v = need();
        if (/^(off|none|end)$/i.test(v)) next.windowDays = null;
        else {
          next.windowDays = wholeNumber(v.replace(/d(ays?)?$/i, ""), "window", 1, 365);
          if (/^days?$/i.test(words[i + 1] ?? "")) i++;
        }
        break;
      }
      case "cap": {
        const v = need();
        next.capPercentile = /^(off|none)$/i.test(v) ? null : percentOf(v, "cap");
        break;
      }
      case "name":
        next.name = need().trim().slice(0, 200) || row.id;
        break;
      case "hypothesis":
        next.hypothesis = need().trim().slice(0, 1000) || null;
        break;
      case "owner": {
        const v = need();
        const user =
          /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(v)?.[1] ?? (/^[UW][A-Z0-9]{2,}$/.test(v) ? v : null);
        if (!user)
          throw new AppError("invalid_input", `“${v}” is not a Slack user`, { hint: "mention them: @name" });
        next.owner = user;
        break;
      }
      case "guardrails":
      case "guardrail": {
        const v = need();
        next.guardrails = JSON.stringify(
          /^none$/i.test(v)
            ? []
            : v
                .split(",")
                .map((g) => g.trim())
                .filter(Boolean),
        );
        break;
      }
      case "min": {
        const what = need().toLowerCase();
        const n = words[++i];
        if (what.startsWith("day")) settings["minDays"] = wholeNumber(n, "min days", 1, 365);
        else if (what.startsWith("people") || what.startsWith("user"))
          settings["minPerVariant"] = wholeNumber(n, "min people", 10, 10_000_000);
        else throw new AppError("invalid_input", `min ${what}: say min days N or min people N`);
        break;
      }
      case "tuning":
        settings["tuning"] = wholeNumber(need(), "tuning", 100, 100_000_000);
        break;
      case "start":
      case "end": {
        const v = need();
        if (!isDay(v)) throw new AppError("invalid_input", `${key} ${v} is not a day (YYYY-MM-DD)`);
        // The end day is included: the experiment ends at the next midnight.
        if (key === "start") next.startAt = startOfDayMs(v, timeZone);
        else next.endAt = startOfDayMs(addDays(v, 1), timeZone);
        break;
      }
      default:
        throw new AppError("invalid_input", `experiment set: I do not know “${words[i]}”`, {
          hint: `keys: ${SET_KEYS}`,
        });
    }
  }
  if (
    next.control &&
    variants.length > 0 &&
    !variants.some((v) => v.id === next.control) &&
    !seen.includes(next.control)
  )
    throw new AppError(
      "invalid_input",
      `control ${next.control} is not one of the variants (${variants.map((v) => v.id).join(", ")})`,
    );
  next.variants = JSON.stringify(variants);
  next.settings = JSON.stringify(settings);
  return next;
}

function daysRunning(analysis: Analysis, now: number): number {
  const start = analysis.config.row.startAt;
  return start === null
    ? 0
    : Math.max(0, Math.floor(((analysis.config.row.endAt ?? now) - start) / 86_400_000));
}

async function listReport(context: CommandContext): Promise<Report> {
  const { platform } = context;
  const experiments = experimentsService.of(platform);
  const rows = await experiments.list();
  if (rows.length === 0)
    return simpleReport(
      "experiments",
      "Experiments",
      "No experiments yet. Lift starts one when Experiment Viewed events arrive (experiment_id, variation_id), or import another tool's results with `lift experiments import ID FILE.csv --control A`.",
    );
  const now = platform.now();
  const analyses = await Promise.all(rows.map((row) => experiments.analyse(row.id, now)));
  const freshness = await platform.freshness();
  return {
    kind: "experiments",
    title: "Experiments",
    summary: `${rows.filter((r) => r.status === "running").length} running, ${rows.filter((r) => r.status === "shipped").length} shipped, ${rows.filter((r) => r.status === "stopped").length} stopped. Ask \`experiment ID\` for one.`,
    freshness: answerFreshness(freshness),
    facts: [],
    table: {
      columns: [
        { key: "id", label: "Experiment", format: "text" },
        { key: "status", label: "Status", format: "text" },
        { key: "days", label: "Days", format: "count" },
        { key: "people", label: "People", format: "count" },
        { key: "leading", label: "Leading", format: "text" },
        { key: "lift", label: "Lift", format: "change", better: "up" },
        { key: "verdict", label: "Verdict", format: "text" },
      ],
      rows: analyses.map((a) => {
        const lead = leading(a.result);
        return [
          a.config.row.id,
          a.config.row.status === "shipped" && a.config.row.shippedVariant
            ? `shipped ${a.config.row.shippedVariant}`
            : a.config.row.status,
          daysRunning(a, now),
          a.result.variants.reduce((s, v) => s + v.users, 0),
          lead?.variant ?? null,
          lead?.relative.estimate ?? null,
          VERDICT_WORDS[a.result.decision.verdict],
        ];
      }),
    },
    charts: [],
    actions: analyses.slice(0, 5).map((a) => ({
      id: `experiment_open_${a.config.row.id}`,
      label: a.config.row.id,
      command: `experiment ${a.config.row.id}`,
    })),
    warnings: analyses
      .filter((a) => !a.result.srm.ok && a.config.row.status === "running")
      .map(
        (a) =>
          `${a.config.row.id}: the split is off plan (sample ratio mismatch); its results cannot be trusted.`,
      ),
  };
}

/** `experiments`: running and recent ones with status, days running, leading variant and verdict. */
export const experimentsCommand: Command = {
  name: "experiments",
  aliases: ["tests", "ab tests"],
  summary: "A/B experiments: status, days running, the leading variant and the verdict",
  usage: "experiments",
  examples: ["experiments"],
  mutates: false,
  personal: false,
  run: async (_args, context) => listReport(context),
};

/** `experiment ID` shows one; `experiment set|ship|stop|snooze ID …` change one (admins). */
// Long on purpose: one case per `experiment` verb (show, ship, stop, snooze, set), each short.
export const experimentCommand: Command = {
  name: "experiment",
  aliases: ["test", "ab"],
  summary:
    "One experiment's result (lift, chance to win, always-valid interval, verdict); set, ship, stop or snooze it",
  usage:
    'experiment ID · experiment set ID goal "Signed Up" split 50/50 channel #growth · experiment ship ID VARIANT · experiment stop ID · experiment snooze ID 7d',
  examples: ["experiment checkout-cta", "experiment set checkout-cta goal orders split 50/50 mde 5%"],
  mutates: false,
  personal: false,
  mutatesWith: (args) => CHANGES.test(args),
  run: async (args, context) => {
    const { platform } = context;
    const experiments = experimentsService.of(platform);
    const words = tokens(args);
    const verb = CHANGES.test(args) ? words.shift()!.toLowerCase() : null;
    const id = words.shift();
    if (!id) {
      if (verb)
        throw new AppError("invalid_input", `experiment ${verb} needs the experiment's id`, {
          hint: "`experiments` lists them",
        });
      return listReport(context);
    }
    const row = await experiments.get(id);
    const actor = context.userId;
    const now = platform.now();
    const zone = platform.settings.timeZone;
    if (verb === "set") {
      if (words.length === 0)
        throw new AppError("invalid_input", "experiment set needs something to set", {
          hint: `keys: ${SET_KEYS}`,
        });
      const analysis = await experiments.analyse(id, now);
      const changed = applySettings(
        row,
        words,
        zone,
        analysis.config.variants.map((v) => v.id),
      );
      await experiments.update(changed, actor, "experiment.set", words.join(" "));
      const subscription = await experiments.ensureAlert(changed, actor);
      const after = await experiments.analyse(id, now);
      return confirmation(
        `Experiment ${id} updated`,
        `${words.join(" ")}. ${verdictSentence(after)}${subscription ? ` Alerts go to ${channelRef(subscription.channel)}.` : ""}`,
        [{ id: `experiment_open_${id}`, label: "Show it", command: `experiment ${id}` }],
      );
    }
    if (verb === "ship" || verb === "stop") {
      if (row.status !== "running" && row.status !== "draft")
        throw new AppError(
          "conflict",
          `${id} is already ${row.status}${row.shippedVariant ? ` (${row.shippedVariant})` : ""}`,
        );
      const analysis = await experiments.analyse(id, now);
      let variant: string | null = null;
      if (verb === "ship") {
        variant = words[0] ?? analysis.result.decision.variant ?? null;
        const ids = analysis.config.variants.map((v) => v.id);
        if (!variant || !ids.includes(variant))
          throw new AppError(
            "invalid_input",
            variant ? `${variant} is not a variant of ${id}` : `Which variant of ${id} ships?`,
            {
              hint: `experiment ship ${id} ${ids.filter((v) => v !== analysis.config.control)[0] ?? ids[0] ?? "B"}`,
            },
          );
      }
      const updated: ExperimentRow = {
        ...row,
        status: verb === "ship" ? "shipped" : "stopped",
        shippedVariant: variant,
        endAt: row.endAt !== null && row.endAt < now ? row.endAt : now,
      };
      await experiments.update(
        updated,
        actor,
        `experiment.${verb}`,
        verb === "ship"
          ? `shipped ${variant} (verdict: ${analysis.result.decision.verdict})`
          : `stopped (verdict: ${analysis.result.decision.verdict})`,
      );
      await experiments.ensureAlert(updated, actor);
      return confirmation(
        verb === "ship" ? `Shipped ${variant} · ${row.name}` : `Stopped · ${row.name}`,
        `${verb === "ship" ? `${row.name} is marked shipped with ${variant}` : `${row.name} is marked stopped`} by ${actor === "console" || actor === "cli" ? actor : `<@${actor}>`} on ${formatDay(dayOf(now, zone))}; its alerts are off and the decision is on record. Lift changes no traffic: ${verb === "ship" ? `roll ${variant} out in your testing tool` : "end it in your testing tool"}.`,
      );
    }
    if (verb === "snooze" || verb === "unsnooze") {
      const until = verb === "unsnooze" ? now : now + (durationMs(` ${words.join(" ")} `) ?? 7 * 86_400_000);
      await experiments.snooze(row, until, actor);
      return confirmation(
        verb === "unsnooze" ? `Alerts back on · ${row.name}` : `Alerts snoozed · ${row.name}`,
        verb === "unsnooze"
          ? `${row.name}'s alerts are checked again from the next hour.`
          : `No alerts about ${row.name} until ${formatDay(dayOf(until, zone))}; \`experiment unsnooze ${id}\` turns them back on.`,
      );
    }
    const analysis = await experiments.analyse(id, now);
    return experimentReport(analysis, await platform.freshness(), zone);
  },
};
