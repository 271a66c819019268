// Google Ads (and its OAuth token endpoint) on loopback in a process of its own, holding N
// campaigns × D days: prints its port and serves until stdin ends. For bench/capabilities/connectors.ts.
import { adDays, FakeAds } from "../test/support/fake-ads.ts";

const campaigns = Number(process.argv[2] ?? 200);
const days = Number(process.argv[3] ?? 90);
const ads = await new FakeAds().start();
ads.googleCurrency = "USD";
ads.googleTimeZone = "UTC";
const to = "2026-11-24";
const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
ads.google.push(...adDays("", campaigns, from, to));
process.stdout.write(`${new URL(ads.url).port}\n`);
process.stdin.on("end", () => void ads.stop().then(() => process.exit(0)));
process.stdin.resume();
