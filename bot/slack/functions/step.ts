import type { WebClient } from "@slack/web-api";
import { requiredRole } from "../../../analytics/platform/commands/index.ts";
import type { Report } from "../../../analytics/platform/reports/report.ts";
import { answer, type SlackDeps } from "../answers.ts";

/** A Workflow Builder step's inputs as Slack sends them (`function_executed`'s `inputs`). */
export type StepInputs = Record<string, unknown>;

export type StepOutcome = { ok: true; report: Report; command: string } | { ok: false; error: string };

/** An input as text ("" when missing or not text). */
export function textInput(inputs: StepInputs, name: string): string {
  const value = inputs[name];
  return typeof value === "string" ? value.trim() : "";
}

/** The step's outputs from an answer: the summary on one line and its headline figure. */
export function answerOutputs(report: Report): { answer: string; value: string } {
  const headline = report.facts[0];
  return {
    answer: report.summary.replace(/\s+/g, " ").trim(),
    value: headline ? `${headline.value}${headline.change ? ` (${headline.change.text})` : ""}` : "",
  };
}

/**
 * Runs what a workflow step asks, for the person it names (`asked_by`, else the
 * workflow itself) in the channel it names: the same access rules as a
 * question in Slack, read-only (a step never subscribes or changes anything:
 * those are confirmed by a person), and a question Lift does not answer is a
 * failure with its reason, never an answer passed on to the next step.
 */
export async function runStep(
  deps: SlackDeps,
  client: WebClient,
  step: { text: string; channel?: string | undefined; askedBy?: string | undefined },
): Promise<StepOutcome> {
  if (!step.text) return { ok: false, error: "The step has no question: fill in what to ask Lift." };
  try {
    const { command, args } = deps.core.commands.resolve(step.text);
    if (requiredRole(command, args) !== "viewer")
      return {
        ok: false,
        error: `A workflow step only reads figures: “${step.text}” would change something or show who people are. Ask for it with /lift instead.`,
      };
  } catch {
    // Not a command: a question in plain words, read by ask below.
  }
  const outcome = await answer(deps, client, {
    text: step.text,
    userId: step.askedBy || "workflow",
    channelId: step.channel || undefined,
    surface: "workflow",
  });
  if (!outcome.ok) return { ok: false, error: outcome.message };
  if (outcome.report.unanswered) return { ok: false, error: outcome.report.summary.replace(/`/g, "") };
  return { ok: true, report: outcome.report, command: outcome.command };
}
