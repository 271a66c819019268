import type { WebClient } from "@slack/web-api";
import type { ChartSpec } from "../../analytics/platform/charts/index.ts";
import { reportFilename } from "../../analytics/platform/reports/files.ts";
import type { Report } from "../../analytics/platform/reports/report.ts";
import { type Block, renderBlocks } from "../render/blocks.ts";
import { slackErrorCode } from "./errors.ts";

export interface PostTarget {
  channel: string;
  threadTs?: string | undefined;
}

export interface Posted {
  channel: string;
  ts: string;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, string | number | boolean>;
}

/** A text reply this long is split: Slack recommends under 4,000 characters a message. */
const REPLY_CHUNK = 3500;
/** A freshly uploaded image can take a moment before a block may show it. */
const FILE_READY_DELAYS_MS = [1000, 2500];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fileIdOf(result: Awaited<ReturnType<WebClient["filesUploadV2"]>>): string {
  const id = (result.files as { files?: { id?: string }[] }[] | undefined)?.[0]?.files?.[0]?.id;
  if (!id) throw new Error("files.completeUploadExternal returned no file id");
  return id;
}

/**
 * Uploads a file with the files upload v2 flow (files.getUploadURLExternal →
 * upload → files.completeUploadExternal), shared to `target` when given,
 * else left unshared for an image block to show.
 */
export async function uploadFile(
  client: WebClient,
  file: { data: Buffer; filename: string; title: string; altText?: string },
  target?: PostTarget & { comment?: string },
): Promise<string> {
  const base = {
    file: file.data,
    filename: file.filename,
    title: file.title,
    ...(file.altText ? { alt_text: file.altText } : {}),
  };
  if (!target) return fileIdOf(await client.filesUploadV2(base));
  const comment = target.comment ? { initial_comment: target.comment } : {};
  return fileIdOf(
    await client.filesUploadV2(
      target.threadTs
        ? { ...base, ...comment, channel_id: target.channel, thread_ts: target.threadTs }
        : { ...base, ...comment, channel_id: target.channel },
    ),
  );
}

export { reportFilename };

/** Posts a long text as thread replies of at most REPLY_CHUNK characters, in a code block. */
export async function postThreadText(
  client: WebClient,
  channel: string,
  threadTs: string,
  text: string,
): Promise<void> {
  const lines = text.split("\n");
  let chunk: string[] = [];
  let length = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    await client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      text: `\`\`\`\n${chunk.join("\n")}\n\`\`\``,
      mrkdwn: true,
    });
    chunk = [];
    length = 0;
  };
  for (const line of lines) {
    if (length + line.length + 1 > REPLY_CHUNK) await flush();
    chunk.push(line.slice(0, REPLY_CHUNK));
    length += line.length + 1;
  }
  await flush();
}

/**
 * Posts a report as one message with its chart: the PNG is uploaded unshared
 * first and shown through an image block (`slack_file`), so a single
 * chat.postMessage carries text, numbers and chart. What did not fit Block Kit
 * (the whole answer, its details included), or else the report's details,
 * follows as a reply in the thread.
 */
export async function postReport(
  client: WebClient,
  target: PostTarget,
  report: Report,
  options: {
    /** Renders the report's chart; without it the message has none. */
    chart?: (spec: ChartSpec) => Promise<Buffer>;
    buttons?: Block[];
    footer?: string;
    metadata?: MessageMetadata;
    /** 👍/👎 under the answer. */
    feedback?: Block;
  } = {},
): Promise<Posted> {
  const render = options.chart;
  const spec = render ? report.charts[0] : undefined;
  const png = spec && render ? await render(spec) : undefined;
  const chartFile =
    spec && png
      ? await uploadFile(client, {
          data: png,
          filename: reportFilename(report, "png"),
          title: spec.title,
          altText: spec.title,
        })
      : undefined;
  const post = (withChart: boolean) => {
    const message = renderBlocks(report, {
      ...(withChart && chartFile
        ? { chart: { slackFileId: chartFile, alt: spec?.title ?? report.title } }
        : {}),
      ...(options.buttons ? { buttons: options.buttons } : {}),
      ...(options.footer ? { footer: options.footer } : {}),
      ...(options.feedback ? { feedback: options.feedback } : {}),
    });
    return client.chat
      .postMessage({
        channel: target.channel,
        ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(options.metadata ? { metadata: options.metadata } : {}),
      })
      .then((result) => ({ result, message }));
  };
  let sent: Awaited<ReturnType<typeof post>> | undefined;
  let chartShown = Boolean(chartFile);
  for (let attempt = 0; ; attempt++) {
    try {
      sent = await post(chartShown);
      break;
    } catch (error) {
      // An image block naming a file Slack has not finished processing is refused as invalid_blocks.
      if (!chartShown || slackErrorCode(error) !== "invalid_blocks") throw error;
      const delay = FILE_READY_DELAYS_MS[attempt];
      if (delay === undefined) chartShown = false;
      else await sleep(delay);
    }
  }
  const ts = sent.result.ts;
  const channel = sent.result.channel ?? target.channel;
  if (!ts) throw new Error("chat.postMessage returned no ts");
  const thread = target.threadTs ?? ts;
  if (spec && png && !chartShown) {
    // The image block never took: share the chart in the thread instead.
    await uploadFile(
      client,
      { data: png, filename: reportFilename(report, "png"), title: spec.title },
      { channel, threadTs: thread },
    );
  }
  // The follow-up is the whole answer as text, details included; without one, the details alone.
  const rest = sent.message.followUp ?? (report.details?.length ? report.details.join("\n") : null);
  if (rest) await postThreadText(client, channel, thread, rest);
  return { channel, ts };
}

/** A file sent to a person in their DM with Lift (a chart, a CSV). */
export async function sendFileToUser(
  client: WebClient,
  userId: string,
  file: { data: Buffer; filename: string; title: string; comment: string },
): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error("conversations.open returned no channel");
  await uploadFile(client, file, { channel, comment: file.comment });
  return channel;
}
