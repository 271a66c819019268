import { AppError } from "../../platform/base/errors.ts";
import { formatAgo, formatCount } from "../../platform/base/format.ts";
import type { Command } from "../../platform/commands/registry.ts";
import type { CapabilityContext } from "../../platform/contract/capability.ts";
import type { Job } from "../../platform/jobs/jobs.ts";
import { type Report, simpleReport } from "../../platform/reports/report.ts";
import type { HomeSection } from "../../platform/surfaces/home.ts";
import { pulledSources } from "./api.ts";
import type { PullOutcome, SourceInfo } from "./service.ts";

/** "every 15m", "every 2 h", "every day" → minutes. */
export function everyMinutesIn(text: string): { minutes: number | null; rest: string } {
  const match = /(?:^|\s)every\s+(\d{1,4})?\s*(m|min|mins|minutes?|h|hours?|d|days?)(?=\s|$)/i.exec(text);
  if (!match) return { minutes: null, rest: text };
  const n = Number(match[1] ?? 1);
  const unit = match[2]!.toLowerCase();
  const minutes = unit.startsWith("m") ? n : unit.startsWith("h") ? n * 60 : n * 1440;
  return {
    minutes,
    rest: `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`.trim(),
  };
}

function sourceState(source: SourceInfo, now: number): string {
  if (source.status === "paused") return "paused";
  if (source.lastStatus === "error")
    return `failing (${source.failures}×): ${source.lastError ?? "unknown error"}`;
  if (source.lastOkAt) return `ok, last pulled ${formatAgo(source.lastOkAt, now)}`;
  return "waiting for its first pull";
}

/** Every pulled source with its state, last error and next pull. */
export async function sourcesReport({ platform }: CapabilityContext): Promise<Report> {
  const sources = pulledSources.of(platform);
  const list = await sources.list();
  const now = platform.now();
  const kinds = sources.kinds();
  const failing = list.filter((s) => s.status === "active" && s.lastStatus === "error");
  return simpleReport(
    "sources",
    "Sources",
    list.length === 0
      ? kinds.length === 0
        ? "No pulled sources, and no connector kinds are installed."
        : `No pulled sources yet. Add one with ${kinds.map((k) => `\`${k.example}\``).join(" or ")}.`
      : `${list.length} source${list.length === 1 ? "" : "s"}, ${failing.length} failing.`,
    {
      ...(list.length > 0
        ? {
            table: {
              columns: [
                { key: "id", label: "#", format: "text" },
                { key: "kind", label: "Kind", format: "text" },
                { key: "name", label: "Source", format: "text" },
                { key: "every", label: "Every", format: "text" },
                { key: "state", label: "State", format: "text" },
                { key: "items", label: "Items", format: "count" },
              ],
              rows: list.map((s) => [
                String(s.id),
                s.kind,
                s.name,
                s.everyMinutes % 60 === 0 ? `${s.everyMinutes / 60} h` : `${s.everyMinutes} min`,
                sourceState(s, now),
                s.itemsTotal,
              ]),
            },
          }
        : {}),
      warnings: failing.map(
        (s) =>
          `${s.name} is failing: ${s.lastError ?? "unknown error"}; retried with backoff, the others go on.`,
      ),
    },
  );
}

/** What a pull brought, per source. */
export function pullReport(outcomes: PullOutcome[]): Report {
  return simpleReport(
    "sources_pull",
    "Sources pulled",
    outcomes.length === 0
      ? "No source was due."
      : outcomes
          .map((o) =>
            o.ok
              ? `${o.source.name}: ${formatCount(o.accepted)} new, ${formatCount(o.duplicates)} already there${o.rejected > 0 ? `, ${formatCount(o.rejected)} rejected` : ""}`
              : `${o.source.name}: failed (${o.error}); tried again in a while`,
          )
          .join("\n"),
    { warnings: outcomes.flatMap((o) => o.reasons.map((r) => `${o.source.name}: ${r}`)) },
  );
}

const MUTATING = /^\s*(add|pause|resume|delete|remove|pull)\b/i;

/** `sources`, `sources add <kind> <target> [every 15m]`, `sources pause|resume|delete <id>`, `sources pull [id]`. */
export const sourcesCommand: Command = {
  name: "sources",
  aliases: ["source"],
  summary: "Pulled sources (feeds, social searches): list, add, pause, resume, delete, pull now",
  usage:
    "sources · sources add KIND TARGET [every 15m] · sources pause|resume|delete NUMBER · sources pull [NUMBER]",
  examples: ["sources", "sources pull"],
  mutates: true,
  personal: false,
  mutatesWith: (args) => MUTATING.test(args),
  run: async (args, context) => {
    const sources = pulledSources.of(context.platform);
    const verb = MUTATING.exec(args)?.[1]?.toLowerCase();
    if (!verb) return sourcesReport(context);
    const rest = args.replace(MUTATING, "").trim();
    if (verb === "add") {
      const [kind = "", ...target] = rest.split(/\s+/);
      if (!kind) {
        const kinds = sources.kinds();
        throw new AppError("invalid_input", "Which kind of source?", {
          hint:
            kinds.map((k) => `sources add ${k.kind} ${k.usage}`).join(" · ") ||
            "no connector kinds are installed",
        });
      }
      const every = everyMinutesIn(target.join(" "));
      const source = await sources.add({
        kind,
        target: every.rest,
        ...(every.minutes !== null ? { everyMinutes: every.minutes } : {}),
        owner: context.userId,
      });
      return simpleReport(
        "confirmation",
        `Source added · ${source.name}`,
        `Number ${source.id}, pulled every ${source.everyMinutes} min from now on. \`sources pull ${source.id}\` pulls it now; \`sources pause ${source.id}\` stops it.`,
        { actions: [{ id: `pull_${source.id}`, label: "Pull now", command: `sources pull ${source.id}` }] },
      );
    }
    if (verb === "pull") {
      const id = /^#?(\d+)$/.exec(rest)?.[1];
      if (rest !== "" && !id)
        throw new AppError("invalid_input", `“${rest}” is not a source number`, {
          hint: "`sources` lists them",
        });
      return pullReport(await sources.pullNow(id === undefined ? undefined : Number(id)));
    }
    const id = /^#?(\d+)$/.exec(rest)?.[1];
    if (!id)
      throw new AppError("invalid_input", `Which source? \`sources ${verb} NUMBER\``, {
        hint: "`sources` lists them",
      });
    const status = verb === "pause" ? "paused" : verb === "resume" ? "active" : "deleted";
    const source = await sources.setStatus(Number(id), status, context.userId);
    return simpleReport(
      "confirmation",
      `Source ${status === "active" ? "resumed" : status} · ${source.name}`,
      status === "deleted"
        ? `Number ${source.id} will not be pulled again; what it brought stays.`
        : status === "paused"
          ? `Number ${source.id} is paused; \`sources resume ${source.id}\` starts it again.`
          : `Number ${source.id} is pulled again from now on.`,
    );
  },
};

/** Every minute: pull the sources that are due, each in its own transaction; one failing never blocks the others. */
export const sourcesJob: Job = {
  name: "sources",
  cron: "* * * * *",
  // Each pull is capped (PULL_CAP_MS), so the run ends well inside the watchdog's limit.
  timeoutMs: 5 * 60_000,
  run: async ({ platform, signal }, now) => {
    await pulledSources.of(platform).pullDue(now, signal);
  },
};

/** The App Home's word on pulled sources: how many, and any that fail (so nobody waits for mentions that are not coming). */
export const sourcesHome: HomeSection = {
  id: "sources",
  order: 40,
  async build(context) {
    const list = await pulledSources.of(context.platform).list();
    if (list.length === 0) return null;
    const { table: _, ...report } = await sourcesReport(context);
    return { ...report, actions: [{ id: "home_sources", label: "All sources", command: "sources" }] };
  },
};
