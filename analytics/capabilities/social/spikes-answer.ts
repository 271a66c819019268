import { AppError } from "../../platform/base/errors.ts";
import { formatCount, formatDay } from "../../platform/base/format.ts";
import type { CommandContext } from "../../platform/contract/capability.ts";
import type { PeriodSpec } from "../../platform/metrics/periods.ts";
import type { Report } from "../../platform/reports/report.ts";
import { dayOf, timeOf } from "../../platform/time/zone.ts";
import { windowParts } from "./answer-parts.ts";
import { socialService } from "./api.ts";
import { SPIKE_DEFAULTS, type SpikeJudgement } from "./service.ts";
import { BRAND } from "./topics.ts";

/**
 * `sentiment spikes [topic] [period]`: yes or no, with each spike of negative mentions in the
 * period and when it ran — the spike alert's rule judged at every hour, runs of firing hours
 * merged into one spike.
 */
export async function spikesReport(args: string, context: CommandContext): Promise<Report> {
  const { platform } = context;
  const social = socialService.of(platform);
  const { spec, rest } = social.splitPeriod(args.split(/\s+/).filter(Boolean), { kind: "last_days", n: 7 });
  const topic = await social.topic(rest.filter((w) => !/^(for|about|on|topic)$/i.test(w))[0]);
  const notes: string[] = [];
  let window: ReturnType<typeof social.window>;
  try {
    window = social.window(spec);
  } catch (error) {
    // "this week" on a Monday: spikes can be today's, so the week so far is today.
    if (!(error instanceof AppError)) throw error;
    notes.push(`${error.message}: read as today so far.`);
    window = social.window({ kind: "today" } as PeriodSpec);
  }
  const zone = platform.settings.timeZone;
  const hour = 3_600_000;
  const spikes: { from: number; to: number; peak: SpikeJudgement }[] = [];
  const first = Math.ceil((window.fromMs + SPIKE_DEFAULTS.windowHours * hour) / hour) * hour;
  for (let at = first; at <= Math.min(window.toMs, platform.now()); at += hour) {
    const judged = await social.judgeSpike(topic.name, at);
    if (judged.state !== "firing") continue;
    const last = spikes[spikes.length - 1];
    // A lull of a few hours inside a spike does not make two (the alert's hysteresis, in hindsight).
    if (last && judged.window.fromMs <= last.to + SPIKE_DEFAULTS.windowHours * hour) {
      last.to = judged.window.toMs;
      if (judged.z > last.peak.z) last.peak = judged;
    } else spikes.push({ from: judged.window.fromMs, to: judged.window.toMs, peak: judged });
  }
  const when = (ms: number) => `${formatDay(dayOf(ms, zone), { short: true })} ${timeOf(ms, zone)}`;
  const about = topic.name === BRAND ? "" : ` about ${topic.name}`;
  const line = (s: (typeof spikes)[number]) =>
    `${when(s.from)} – ${when(s.to)}: at its peak ${formatCount(s.peak.negative)} negative posts in ${SPIKE_DEFAULTS.windowHours} h against about ${formatCount(Math.round(s.peak.usualNegative))} usually at that time of day`;
  return {
    kind: "sentiment",
    title: `Spikes of negative mentions${about} · ${window.label}`,
    summary:
      spikes.length === 0
        ? `No: no spike of negative mentions${about} in ${window.label.toLowerCase()}; every ${SPIKE_DEFAULTS.windowHours}-hour window stayed within its usual range for the time of day.`
        : `Yes: ${spikes.length} ${spikes.length === 1 ? "spike" : "spikes"} of negative mentions${about}. ${line(spikes[0]!)}.`,
    ...(await windowParts(context, window, zone)),
    facts: [{ label: "Spikes", value: String(spikes.length) }],
    charts: [],
    actions: spikes.slice(0, 3).map((s, i) => ({
      id: `spike_${i}`,
      label: `Posts of ${formatDay(dayOf(s.from, zone), { short: true })}`,
      command: `mentions negative ${dayOf(s.from, zone)}..${dayOf(s.to, zone)}${topic.name === BRAND ? "" : ` topic ${topic.name}`}`,
    })),
    warnings: [
      ...notes,
      `A spike: at least ${SPIKE_DEFAULTS.minNegative} negative posts in ${SPIKE_DEFAULTS.windowHours} hours, ${SPIKE_DEFAULTS.open} robust deviations above the same hours of the ${SPIKE_DEFAULTS.days} days before (the sentiment spike alert's rule).`,
    ],
    ...(spikes.length > 1 ? { details: spikes.slice(1).map(line) } : {}),
  };
}
