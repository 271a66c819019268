import { exposuresOfPerson } from "../../../db/experiments/queries.ts";
import { formatChange, formatDay } from "../../platform/base/format.ts";
import type { ContextProvider, CustomerSection, Panel } from "../../platform/contract/capability.ts";
import type { DigestSection } from "../../platform/digest/digest.ts";
import type { Job } from "../../platform/jobs/jobs.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import type { HomeSection } from "../../platform/surfaces/home.ts";
import { dayOf } from "../../platform/time/zone.ts";
import { experimentsService } from "./api.ts";
import { experimentCommand, experimentsCommand } from "./commands.ts";
import { leading, VERDICT_WORDS } from "./report.ts";
import type { Analysis, Experiments } from "./service.ts";

const DAY_MS = 86_400_000;

function oneLine(a: Analysis): string {
  const lead = leading(a.result);
  const people = a.result.variants.reduce((s, v) => s + v.users, 0).toLocaleString("en-US");
  return `${a.config.row.id}: ${VERDICT_WORDS[a.result.decision.verdict]}${lead ? ` · ${lead.variant} ${formatChange(lead.relative.estimate)} vs ${lead.control}` : ""} · ${people} people`;
}

async function running(experiments: Experiments, now: number): Promise<Analysis[]> {
  const rows = (await experiments.list()).filter((r) => r.status === "running");
  return Promise.all(rows.map((r) => experiments.analyse(r.id, now)));
}

/**
 * The experiments job (hourly): every running experiment has its alert
 * subscription (to its channel, else LIFT_EXPERIMENTS_CHANNEL, else the
 * console), and each verdict change is noted for the digest.
 */
export const experimentsJob: Job = {
  name: "experiments",
  cron: "7 * * * *",
  run: async ({ platform, logger }, now) => {
    const experiments = experimentsService.of(platform);
    for (const row of await experiments.list()) {
      await experiments.ensureAlert(row, "lift");
      if (row.status !== "running") continue;
      const analysis = await experiments.analyse(row.id, now);
      if (await experiments.recordVerdict(row, analysis.result.decision.verdict, now))
        logger.info(
          { experiment: row.id, verdict: analysis.result.decision.verdict },
          "experiment verdict changed",
        );
    }
  },
};

/** The digest: experiments whose verdict changed in the period, then every running one in a line. */
export const experimentsSection: DigestSection = {
  id: "experiments",
  order: 35,
  title: "Experiments",
  async build({ platform, grain, at: now }) {
    const experiments = experimentsService.of(platform);
    const rows = await experiments.list();
    const since = now - (grain === "daily" ? 1 : 7) * DAY_MS;
    const changed = rows.filter((r) => r.verdictAt !== null && r.verdictAt >= since && r.verdict);
    const decided = rows.filter(
      (r) => (r.status === "shipped" || r.status === "stopped") && r.updatedAt >= since,
    );
    const live = await running(experiments, now);
    if (changed.length === 0 && decided.length === 0 && live.length === 0) return null;
    const zone = platform.settings.timeZone;
    return {
      lines: [
        ...decided.map(
          (r) =>
            `🧪 ${r.id} ${r.status === "shipped" ? `shipped ${r.shippedVariant}` : "stopped"} on ${formatDay(dayOf(r.updatedAt, zone), { short: true })}`,
        ),
        ...changed
          .filter((r) => r.status === "running")
          .map(
            (r) =>
              `🧪 ${r.id} is now “${VERDICT_WORDS[r.verdict as keyof typeof VERDICT_WORDS] ?? r.verdict}”`,
          ),
      ].slice(0, 5),
      details: live.map(oneLine),
    };
  },
};

/** App Home: the running experiments, a line each, with the verdict. */
export const experimentsHome: HomeSection = {
  id: "experiments",
  order: 35,
  async build({ platform }) {
    const live = await running(experimentsService.of(platform), platform.now());
    if (live.length === 0) return null;
    return simpleReport("experiments", "Experiments", live.map(oneLine).join("\n"), {
      actions: live.slice(0, 3).map((a) => ({
        id: `experiment_open_${a.config.row.id}`,
        label: a.config.row.id,
        command: `experiment ${a.config.row.id}`,
      })),
    });
  },
};

/** The console: every experiment, a line each, and the newest running one in full. */
export const experimentsPanel: Panel = {
  id: "experiments",
  title: "Experiments",
  order: 35,
  live: true,
  subtitle: "A/B tests: always-valid results, safe to check every day",
  async build(context) {
    const list = await experimentsCommand.run("", context);
    const rows = await experimentsService.of(context.platform).list();
    const newest = rows.find((r) => r.status === "running");
    return newest ? [list, await experimentCommand.run(newest.id, context)] : [list];
  },
};

/** Around an alert: experiments that started or were decided in its window. */
export const experimentsContext: ContextProvider = {
  id: "experiments",
  order: 30,
  async lines({ platform }, window, subject) {
    const rows = await experimentsService.of(platform).list();
    const zone = platform.settings.timeZone;
    const lines: string[] = [];
    for (const r of rows) {
      if (subject.kind === "experiment" && subject.id === r.id) continue;
      if (r.startAt !== null && r.startAt >= window.fromMs && r.startAt < window.toMs)
        lines.push(`Experiment ${r.id} started on ${formatDay(dayOf(r.startAt, zone), { short: true })}.`);
      if (
        (r.status === "shipped" || r.status === "stopped") &&
        r.updatedAt >= window.fromMs &&
        r.updatedAt < window.toMs
      )
        lines.push(
          `Experiment ${r.id} was ${r.status === "shipped" ? `shipped with ${r.shippedVariant}` : "stopped"} on ${formatDay(dayOf(r.updatedAt, zone), { short: true })}.`,
        );
    }
    return lines.slice(0, 3);
  },
};

/** The customer page: the experiments they saw, and in which variant. */
export const experimentsCustomerSection: CustomerSection = {
  id: "experiments",
  order: 30,
  title: "Experiments",
  async build({ tables, platform }, customer) {
    const seen = await exposuresOfPerson(tables, customer.id);
    if (seen.length === 0) return null;
    const zone = platform.settings.timeZone;
    return {
      lines: seen.map(
        (x) =>
          `${x.name ?? x.experimentId}: ${x.conflict ? "saw more than one variant (left out of the analysis)" : x.variant}, since ${formatDay(dayOf(x.firstAt, zone))}`,
      ),
    };
  },
};
