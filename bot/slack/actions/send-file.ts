import type { App, BlockAction } from "@slack/bolt";
import { isAppError } from "../../../analytics/platform/base/errors.ts";
import { allows, type Role } from "../../../analytics/platform/contract/access.ts";
import { reportToCsv } from "../../../analytics/platform/reports/cells.ts";
import type { Report } from "../../../analytics/platform/reports/report.ts";
import { codeSpan, type SlackDeps } from "../answers.ts";
import { explainSlackError, slackErrorCode } from "../errors.ts";
import { reportFilename, sendFileToUser } from "../post.ts";
import { ACTIONS, type Registered } from "../surface.ts";
import { clickedIn, storedAnswer } from "./context.ts";

type FileFor = (
  report: Report,
  deps: SlackDeps,
  role: Role,
) => Promise<{ data: Buffer; filename: string; title: string } | string | null>;

const chartFile: FileFor = async (report, deps) => {
  const spec = report.charts[0];
  return spec
    ? { data: await deps.runner.chart(spec), filename: reportFilename(report, "png"), title: spec.title }
    : null;
};

const csvFile: FileFor = async (report, deps, role) => {
  if (report.download) {
    // The full data behind the answer (a segment's members), streamed from its source into the file.
    let download: Awaited<ReturnType<typeof deps.core.download>>;
    try {
      download = await deps.core.download(report.download.source, report.download.key);
    } catch (error) {
      // The segment was deleted since the answer: say so.
      if (isAppError(error)) return error.message;
      throw error;
    }
    if (!download) return null;
    if (download.personal && !allows(role, "analyst"))
      return "This file lists who people are: only analysts and admins may have it (`access` shows who has which role).";
    const chunks: Buffer[] = [];
    for await (const line of download.lines) chunks.push(Buffer.from(line, "utf8"));
    return {
      data: Buffer.concat(chunks),
      filename: report.download.filename,
      title: `${report.title} (CSV)`,
    };
  }
  return report.table
    ? {
        data: Buffer.from(reportToCsv(report), "utf8"),
        filename: reportFilename(report, "csv"),
        title: `${report.title} (CSV)`,
      }
    : null;
};

/** A button that sends the asker a file of the stored answer (its chart, its data as CSV) in their DM with Lift. */
function registerSendFile(
  app: App,
  deps: SlackDeps,
  actionId: string,
  what: string,
  fileFor: FileFor,
): Registered {
  app.action<BlockAction>(actionId, async ({ ack, body, action, client, respond }) => {
    await ack();
    const place = clickedIn(body);
    const userId = body.user.id;
    const say = (text: string) => respond({ response_type: "ephemeral", replace_original: false, text });
    const read = await deps.access.check(client, userId, place.kind === "home" ? undefined : place.channel);
    if (!read.ok) return void (await say(read.message));
    const stored = await storedAnswer(deps, action);
    if (typeof stored === "string") return void (await say(stored));
    const file = await fileFor(stored.report, deps, read.role);
    if (!file) return void (await say(`This answer has no ${what}.`));
    if (typeof file === "string") return void (await say(file));
    try {
      const period = stored.report.period;
      const context = period ? ` · ${period.label}, ${period.timeZone}` : "";
      const dm = await sendFileToUser(client, userId, {
        ...file,
        comment: `${stored.report.title}${context} — ${codeSpan(stored.command)}`,
      });
      if (place.kind !== "home") await say(`Sent the ${what} to you in <#${dm}>.`);
    } catch (error) {
      const code = slackErrorCode(error);
      deps.logger.warn({ code }, `could not send a ${what} to a user`);
      if (place.kind !== "home") await say(explainSlackError(code, "your DM with Lift"));
    }
  });
  return { interactivity: true };
}

export function registerSendChart(app: App, deps: SlackDeps): Registered {
  return registerSendFile(app, deps, ACTIONS.sendChart, "chart", chartFile);
}

export function registerDownloadCsv(app: App, deps: SlackDeps): Registered {
  return registerSendFile(app, deps, ACTIONS.downloadCsv, "CSV", csvFile);
}
