import { describeError, isAppError } from "../../analytics/platform/base/errors.ts";

/** The Slack error code of a failed Web API call ("not_in_channel"), or a transport-level code. */
export function slackErrorCode(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number };
  if (e.data?.error) return e.data.error;
  if (e.code === "slack_webapi_rate_limited_error") return "ratelimited";
  if (e.code === "slack_webapi_http_error") return `http_${e.statusCode ?? "error"}`;
  if (e.code === "slack_webapi_request_error") return "request_error";
  return e.code ?? null;
}

/** The people-facing sentence for a Slack error, with what to do about it. */
export function explainSlackError(code: string | null, where = "this channel"): string {
  switch (code) {
    case "not_in_channel":
      return `I'm not a member of ${where}, so I can't post there. Invite me with \`/invite @Lift\` and try again.`;
    case "channel_not_found":
      return `I can't see ${where}: it may be private. Invite me with \`/invite @Lift\`, or ask me in a DM.`;
    case "is_archived":
      return `${where} is archived, so nothing can be posted there.`;
    case "restricted_action":
    case "restricted_action_read_only_channel":
    case "cant_post_in_channel":
      return `This workspace does not let apps post in ${where}. Ask me in a DM instead.`;
    case "ratelimited":
      return "Slack is limiting how fast I can post. Try again in a minute.";
    case "missing_scope":
      return "Lift's Slack app is missing a permission it needs. An admin can reinstall it from manifest.yml.";
    case "invalid_auth":
    case "not_authed":
    case "token_revoked":
    case "account_inactive":
      return "Lift's Slack token is not valid any more. An admin needs to reinstall the app.";
    default:
      return `Slack refused the message${code ? ` (${code})` : ""}. It has been logged; try again in a moment.`;
  }
}

/** What a person sees when their command failed: our words for our errors, a plain apology otherwise. */
export function explainFailure(error: unknown): string {
  if (isAppError(error) && error.code !== "internal") return describeError(error);
  const code = slackErrorCode(error);
  if (code) return explainSlackError(code);
  return "Something went wrong on our side; it has been logged. Try again in a moment.";
}
