import { Agent } from "node:http";
import { type IdForm, loadBatches } from "./events.ts";
import { post } from "./post.ts";

/**
 * A load generator in its own process: POSTs `requests` batches of `size`
 * events to `url` with `concurrency` requests in flight, over keep-alive
 * connections, message ids in the form `ids` names (time, uuid: see IdForm).
 * Prints {seconds, events, failures} as JSON.
 */
const [url, key, requestsText, sizeText, concurrencyText, offsetText, idsText] = process.argv.slice(2);
const requests = Number(requestsText);
const size = Number(sizeText);
const concurrency = Number(concurrencyText);
const offset = Number(offsetText ?? 0);
const target = new URL(url!);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const auth = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
// The offset keeps warm-up ids apart from the measured ones; timestamps stay in the past.
const bodies = loadBatches(requests, size, offset, (idsText ?? "time") as IdForm).map((batch) =>
  JSON.stringify({ batch, sentAt: new Date().toISOString() }),
);

const send = (body: string) => post(agent, target, { authorization: auth }, body);

let next = 0;
let failures = 0;
const t = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      if ((await send(body)) !== 200) failures++;
    }
  }),
);
const seconds = (performance.now() - t) / 1000;
agent.destroy();
process.stdout.write(JSON.stringify({ seconds, events: requests * size, failures }));
