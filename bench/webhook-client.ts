import { Agent } from "node:http";
import { fakeOrders, shopifyHmac, shopifyOrderJson } from "../test/support/fake-shops.ts";
import { post } from "./post.ts";

/**
 * Shopify's side, in its own process: POSTs `n` signed orders/create webhooks to `url` with
 * `concurrency` in flight over keep-alive connections. Prints {seconds, failures} as JSON.
 */
const [url, nText, concurrencyText, secret] = process.argv.slice(2);
const n = Number(nText);
const concurrency = Number(concurrencyText);
const target = new URL(url!);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const bodies = fakeOrders(n, Date.parse("2026-11-01T00:00:00Z")).map((o) =>
  JSON.stringify(shopifyOrderJson(o)),
);
const signatures = bodies.map((b) => shopifyHmac(b, secret!));

const send = (i: number) =>
  post(
    agent,
    target,
    {
      "x-shopify-topic": "orders/create",
      "x-shopify-hmac-sha256": signatures[i]!,
      "x-shopify-webhook-id": `bench-${i}`,
    },
    bodies[i]!,
  );

let next = 0;
let failures = 0;
const start = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) if ((await send(i)) !== 200) failures++;
  }),
);
process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - start) / 1000, failures })}\n`);
agent.destroy();
