// A Lift process for the at-most-once test: runs the automations job once at the given instant,
// with the capability settings given as JSON (SMTP_URL …), against a shared database.
import { CAPABILITIES } from "../../analytics/capabilities/index.ts";
import { silentLogger } from "../../analytics/platform/base/log.ts";
import { Core } from "../../analytics/platform/core.ts";
import { openDatabase } from "../../db/client.ts";
import { capabilitySettings } from "./settings.ts";

const [path, at, env] = process.argv.slice(2);
const db = openDatabase(path!, { migrate: false });
const core = new Core({
  db,
  logger: silentLogger(),
  capabilities: CAPABILITIES,
  settings: {
    timeZone: "UTC",
    currency: "USD",
    fxRates: {},
    capabilities: capabilitySettings(CAPABILITIES, JSON.parse(env!) as Record<string, string>),
  },
  now: () => Number(at),
});
process.stdout.write("started\n");
await core.runJob("automations", Number(at), core.consoleNotifier);
db.close();
process.stdout.write("done\n");
