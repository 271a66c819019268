/**
 * A Slack channel named in a report's text. Report text is data to the
 * renderers (Slack control characters in it are escaped), so a channel link is
 * written with its own brackets: Block Kit turns it into \`<#C0123>\`, text and
 * HTML show \`#C0123\`. The brackets are two private-use characters that the
 * ingest door strips from every text it takes in (`MARKERS`), so data can never
 * carry a link of its own into Slack.
 */
const OPEN = "\ue000#";
const CLOSE = "\ue001";

/** The marker characters, as ingest removes them from incoming text. */
export const MARKERS = /[\ue000\ue001]/g;

export function channelRef(channel: string): string {
  if (channel === "console") return "the console";
  return /^[CGD][A-Z0-9]{2,}$/.test(channel) ? `${OPEN}${channel}${CLOSE}` : channel;
}

const REF = /\ue000#([CGD][A-Z0-9]{2,})\ue001/g;

/** For Slack mrkdwn, after escaping: the channel links. */
export function slackChannelLinks(escaped: string): string {
  return escaped.replace(REF, "<#$1>");
}

/** For text and HTML: the bare channel id. */
export function plainChannelRefs(text: string): string {
  return text.replace(REF, "#$1");
}
