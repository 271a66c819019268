import { formatPercent } from "../../platform/base/format.ts";
import { type AlertRule, every } from "../../platform/contract/alerts.ts";
import type { AlertKind } from "../../platform/contract/capability.ts";
import type { Verdict } from "./analysis.ts";
import { experimentsService } from "./api.ts";
import {
  chanceText,
  experimentActions,
  leading,
  liftChart,
  VERDICT_WORDS,
  verdictSentence,
} from "./report.ts";

export interface ExperimentRule extends AlertRule {
  kind: "experiment";
  experimentId: string;
}

/** Which incident each verdict is: a change of verdict resolves the old message and posts the new one. */
const LABELS: Partial<Record<Verdict, string>> = {
  ship: "winner",
  stop_harm: "loser",
  check_srm: "srm",
  stop_no_effect: "no_effect",
};

const HEADLINES: Record<string, (name: string, variant: string | null) => string> = {
  winner: (name, variant) => `Experiment ${name}: ${variant} wins`,
  loser: (name) => `Experiment ${name}: the treatment does harm`,
  srm: (name) => `Experiment ${name}: the split is broken (sample ratio mismatch)`,
  no_effect: (name) => `Experiment ${name}: no effect likely`,
};

/**
 * "experiment decided": a running experiment is checked every hour and its
 * channel told once per state change (winner, loser, broken split, no effect
 * likely), with the lift chart and the ship/stop/snooze buttons; a message in
 * the thread when a state no longer holds. Lift makes one for every running
 * experiment (the experiments job); `alert experiment ID` makes another.
 */
export const experimentAlert: AlertKind<ExperimentRule> = {
  kind: "experiment",
  order: 5,
  examples: ["experiment checkout-cta"],
  cadence: "hourly",
  nextCheck: every(3600_000, 10 * 60_000),
  parse(text) {
    const match = /^\s*experiment\s+([\w.:-]+)\s*$/i.exec(text);
    return match ? { kind: "experiment", experimentId: match[1]! } : null;
  },
  describe(rule) {
    return `experiment ${rule.experimentId} decided (a winner, harm, a broken split, or no effect)`;
  },
  async evaluate({ platform }, rule, now) {
    const experiments = experimentsService.of(platform);
    const analysis = await experiments.analyse(rule.experimentId, now);
    const { result, config } = analysis;
    const label = LABELS[result.decision.verdict];
    const name = config.row.name;
    const lead = leading(result);
    const chart = liftChart(analysis);
    const firing = config.row.status === "running" && label !== undefined;
    return {
      state: firing ? "firing" : "ok",
      // One incident per experiment and verdict, whatever day it is seen on.
      period: rule.experimentId,
      ...(label ? { label } : {}),
      headline: firing
        ? `${HEADLINES[label!]!(name, result.decision.variant)}. ${verdictSentence(analysis)}`
        : `Experiment ${name}: ${VERDICT_WORDS[result.decision.verdict]}. ${result.decision.reason}`,
      facts: [
        { label: "Verdict", value: VERDICT_WORDS[result.decision.verdict] },
        {
          label: "People",
          value: result.variants.map((v) => `${v.id} ${v.users.toLocaleString("en-US")}`).join(" · "),
        },
        ...(lead
          ? [
              {
                label: `${lead.variant} vs ${lead.control}`,
                value: `${lead.relative.estimate >= 0 ? "+" : "−"}${formatPercent(Math.abs(lead.relative.estimate), 1)}`,
              },
              { label: "Chance to win", value: chanceText(lead.bayes.chanceToWin) },
            ]
          : []),
      ],
      charts: chart ? [chart] : [],
      actions: experimentActions(analysis),
      subject: { kind: "experiment", id: rule.experimentId },
    };
  },
};
