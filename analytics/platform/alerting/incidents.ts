/**
 * The incident lifecycle every alert kind shares, as one pure function of the
 * previous state, the evaluation and the time: an incident is announced once,
 * stays quiet while it lasts, is resolved in its thread when it clears, and a
 * resolved alert stays quiet for a cooldown (no flapping).
 */

/** After an incident resolves, the same alert stays quiet this long. */
export const ALERT_COOLDOWN_MS = 6 * 3600_000;

export interface OpenIncident {
  key: string;
  state: "firing" | "stale";
  label?: string | undefined;
}

export interface ResolvedIncident {
  state: "firing" | "stale";
  label?: string | undefined;
  resolvedAt: number;
}

export interface IncidentState {
  open: OpenIncident | null;
  lastResolved: ResolvedIncident | null;
}

export interface Judged {
  state: "firing" | "ok" | "stale" | "unknown";
  period: string;
  label?: string | undefined;
}

export interface IncidentDecision {
  /** The open incident to close, and how its follow-up reads. */
  resolve: { key: string; as: "resolved" | "data_back" } | null;
  /** The incident to open and announce. */
  open: { key: string; state: "firing" | "stale" } | null;
}

const NOTHING: IncidentDecision = { resolve: null, open: null };

export function decideIncident(
  subscriptionId: number,
  previous: IncidentState,
  evaluation: Judged,
  now: number,
  cooldownMs = ALERT_COOLDOWN_MS,
): IncidentDecision {
  const announce = evaluation.state === "firing" || evaluation.state === "stale";
  let resolve: IncidentDecision["resolve"] = null;
  let lastResolved = previous.lastResolved;
  const open = previous.open;
  if (open) {
    // Still the same incident: it was announced when it opened.
    if (announce && open.state === evaluation.state && (open.label ?? "") === (evaluation.label ?? "")) {
      return NOTHING;
    }
    // Not enough data to tell: neither a recovery nor a new breach.
    if (evaluation.state === "unknown") return NOTHING;
    // It cleared, turned from stale data into a real breach, or became another incident.
    resolve = { key: open.key, as: open.state === "stale" ? "data_back" : "resolved" };
    lastResolved = { state: open.state, label: open.label, resolvedAt: now };
    // A change of label is a new incident, not the same one flapping.
    if (announce && (open.label ?? "") !== (evaluation.label ?? "") && open.state === evaluation.state) {
      lastResolved = null;
    }
  }
  if (!announce) return { resolve, open: null };
  if (
    evaluation.state === "firing" &&
    lastResolved &&
    lastResolved.state === "firing" &&
    (lastResolved.label ?? "") === (evaluation.label ?? "") &&
    now - lastResolved.resolvedAt < cooldownMs
  ) {
    return { resolve, open: null };
  }
  const label = evaluation.label ? `${evaluation.label}:` : "";
  return {
    resolve,
    open: {
      key: `${subscriptionId}:${evaluation.state}:${label}${evaluation.period}`,
      state: evaluation.state as "firing" | "stale",
    },
  };
}
