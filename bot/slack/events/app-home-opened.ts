import type { App } from "@slack/bolt";
import { simpleReport } from "../../../analytics/platform/reports/report.ts";
import { timeOf } from "../../../analytics/platform/time/zone.ts";
import type { SlackDeps } from "../answers.ts";
import { slackErrorCode } from "../errors.ts";
import type { Registered } from "../surface.ts";
import { homeView } from "../views/home.ts";

/** Publishes the person's App Home (built from the sections capabilities contribute) when they open it. */
export function registerAppHomeOpened(app: App, deps: SlackDeps): Registered {
  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    const read = await deps.access.check(client, event.user, undefined);
    const sections = read.ok
      ? await deps.core.home(event.user)
      : [simpleReport("refused", "Lift", read.message)];
    try {
      await client.views.publish({
        user_id: event.user,
        view: homeView(
          sections,
          `${timeOf(deps.core.now(), deps.core.settings.timeZone)} ${deps.core.settings.timeZone}`,
        ),
      });
    } catch (error) {
      deps.logger.warn({ code: slackErrorCode(error) }, "could not publish the App Home");
      throw error;
    }
  });
  return { events: ["app_home_opened"] };
}
