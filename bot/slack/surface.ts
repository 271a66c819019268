/**
 * Everything Lift registers with Slack, in one place: the listeners use these
 * names, and a test checks manifest.yml and manifest.http.yml list exactly these.
 */
export const SLASH_COMMAND = "/lift";

/** What a listener file registers with Slack; app.ts collects them, and a test compares them with the manifests. */
export interface Registered {
  commands?: string[];
  /** Manifest event names ("message.im" for DMs). */
  events?: string[];
  interactivity?: boolean;
  /** Workflow Builder steps (the manifests' `functions`, by callback id). */
  functions?: string[];
  /** The assistant panel (the manifests' `features.assistant_view`). */
  assistant?: boolean;
}

/** Why each scope is asked for; the manifests must ask for exactly these. */
export const BOT_SCOPES: Record<string, string> = {
  "app_mentions:read": "answer @Lift in channels",
  "assistant:write": "the assistant panel: its status, suggested prompts and thread titles",
  "channels:history":
    "check a public channel's recent messages for a delivery's key after an unclear failure",
  "groups:history": "the same in private channels Lift was invited to",
  "chat:write": "post answers, digests and alerts",
  "chat:write.public": "post to public channels without being invited first",
  commands: "the /lift command",
  "files:write": "upload charts and CSV files",
  "im:history": "read DMs sent to Lift (message.im)",
  "im:write": "open a DM to send a chart or CSV to the person who asked",
  "usergroups:read": "resolve LIFT_READERS user groups",
  "users:read": "a subscriber's time zone for delivery times",
  "channels:read": "the topic of the channel open beside the assistant panel, for its suggested questions",
  "groups:read": "the same for a private channel Lift was invited to",
};

/** Action ids of the buttons Lift puts on its messages. */
export const ACTIONS = {
  postToChannel: "lift_post_to_channel",
  sendChart: "lift_send_chart",
  downloadCsv: "lift_download_csv",
  /** 👍/👎 under an answer (feedback_buttons): value `good:<answer id>` or `bad:<answer id>`. */
  feedback: "lift_feedback",
  /** A report's own follow-up buttons ("by campaign", examples in help): `run_command_<id>`. */
  runCommand: /^run_command_/,
} as const;
