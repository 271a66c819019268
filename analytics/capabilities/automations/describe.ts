import { describeSchedule } from "../../platform/time/schedule.ts";
import { type AutomationSpec, describeDuration, type Step, type Trigger } from "./grammar.ts";

/* Automations in words: a trigger, a step, the whole automation, as Lift says them back. */

export function describeTrigger(trigger: Trigger): string {
  switch (trigger.kind) {
    case "segment":
      return `when a customer ${trigger.on} segment “${trigger.segment}”`;
    case "event":
      return trigger.without
        ? `when “${trigger.event}” is not followed by “${trigger.without.event}” within ${describeDuration(trigger.without.withinMs)}`
        : `when “${trigger.event}” happens`;
    case "incident":
      return "when an alert opens";
    case "schedule":
      return `${describeSchedule(trigger.schedule)}${trigger.segment ? ` for segment “${trigger.segment}”` : ""}`;
  }
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case "wait":
      return `wait ${describeDuration(step.ms)}`;
    case "wait_until":
      return `wait until ${String(step.hour).padStart(2, "0")}:${String(step.minute).padStart(2, "0")} (the customer's time)`;
    case "if":
      return step.condition.kind === "no_order"
        ? "if no order since they entered"
        : step.condition.kind === "order"
          ? "if they ordered since they entered"
          : `if ${step.condition.negate ? "not " : ""}in segment “${step.condition.segment}”`;
    case "email":
      return `send email “${step.template}”`;
    case "webhook":
      return `call webhook ${step.url}`;
    case "slack":
      return `post “${step.text}” to ${step.to === "owner" ? "the owner (a direct message)" : `<#${step.to}>`}`;
    case "action":
      return step.text;
  }
}

/** The whole automation in words. */
export function describeAutomation(spec: AutomationSpec): string {
  const extras = [
    spec.holdout > 0 ? `${Math.round(spec.holdout * 100)} % held out` : "",
    spec.includeCurrent ? "current members included" : "",
  ].filter((x) => x !== "");
  return `${describeTrigger(spec.trigger)}${extras.length ? ` (${extras.join(", ")})` : ""}: ${spec.steps.map(describeStep).join(", then ")}`;
}
