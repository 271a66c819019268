// A HubSpot API on loopback in a process of its own (as the real one is), holding N contacts:
// prints its port and serves until stdin ends. For bench/capabilities/crm.ts.
import { FakeHubSpot } from "../test/support/fake-hubspot.ts";

const n = Number(process.argv[2] ?? 100_000);
const hubspot = await new FakeHubSpot().start();
hubspot.add(
  "contacts",
  Array.from({ length: n }, (_, i) => ({
    email: `contact${i}@example.org`,
    firstname: `First${i}`,
    lastname: "Last",
    lifecyclestage: i % 3 ? "lead" : "customer",
    hs_analytics_source: i % 2 ? "PAID_SEARCH" : "ORGANIC_SEARCH",
  })),
);
process.stdout.write(`${new URL(hubspot.url).port} ${hubspot.token}\n`);
process.stdin.on("end", () => void hubspot.stop().then(() => process.exit(0)));
process.stdin.resume();
