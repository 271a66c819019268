// One Lift process for the two-process test: runs the per-minute job for every minute of
// [from, to) against the shared database, as node-cron would, on a fake clock.
import { CAPABILITIES } from "../../analytics/capabilities/index.ts";
import { silentLogger } from "../../analytics/platform/base/log.ts";
import { Core } from "../../analytics/platform/core.ts";
import { openDatabase } from "../../db/client.ts";

const [path, from, to, timeZone] = process.argv.slice(2);
const db = openDatabase(path!, { migrate: false });
let clock = Number(from);
const core = new Core({
  db,
  logger: silentLogger(),
  capabilities: CAPABILITIES,
  settings: { timeZone: timeZone!, currency: "USD", fxRates: {} },
  now: () => clock,
});
let ran = 0;
for (; clock < Number(to); clock += 60_000) {
  if ((await core.runJob("subscriptions", clock, core.consoleNotifier)) === "ran") ran++;
}
db.close();
process.stdout.write(JSON.stringify({ ran }));
