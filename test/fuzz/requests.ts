import fc from "fast-check";
import { signToken } from "../../analytics/capabilities/automations/signing.ts";
import { CONSOLE_TOKEN, type FuzzLift, sign } from "./lift-app.ts";

/** One HTTP request as the fuzzer makes it. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/* Values that have broken parsers elsewhere: empty, huge, negative, not-a-number, prototype keys, odd Unicode. */
const nasty = fc.constantFrom<unknown>(
  "",
  " ",
  "0",
  "-1",
  "1e309",
  "NaN",
  "null",
  "__proto__",
  "constructor",
  "2026-02-30T25:61:00Z",
  "9999-12-31T23:59:59Z",
  "\u0000",
  "\ud800",
  "😀".repeat(50),
  "x".repeat(40_000),
  -1,
  0,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  0.1 + 0.2,
  true,
  null,
  [],
  {},
  { __proto__: { polluted: true } },
);

const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 80 }) },
);

type Path = (string | number)[];

function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => void paths(v, [...at, i], out));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

interface Mutation {
  at: number;
  op: "replace" | "delete" | "add" | "wrap";
  key: string;
  value: unknown;
}

function apply(template: unknown, mutations: Mutation[]): unknown {
  let root = clone(template);
  for (const m of mutations) {
    const all = paths(root);
    const path = all[m.at % all.length]!;
    if (path.length === 0) {
      root = m.op === "wrap" ? [root] : m.op === "replace" ? m.value : root;
      continue;
    }
    const parent = path
      .slice(0, -1)
      .reduce<unknown>((v, k) => (v as Record<string, unknown>)[k as string], root) as
      | Record<string, unknown>
      | unknown[];
    const last = path.at(-1)!;
    const slot = parent as Record<string | number, unknown>;
    if (m.op === "replace") slot[last] = m.value;
    else if (m.op === "delete") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete slot[last];
    } else if (m.op === "add") {
      if (Array.isArray(parent)) parent.push(m.value);
      else slot[m.key] = m.value;
    } else slot[last] = [slot[last]];
  }
  return root;
}

/** A valid body, mutated a few times (a field replaced, removed, added or wrapped), or left valid. */
export function mutatedJson(template: unknown): fc.Arbitrary<string> {
  const mutation = fc.record({
    at: fc.nat(),
    op: fc.constantFrom<Mutation["op"]>("replace", "delete", "add", "wrap"),
    key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "type", "id")),
    value: jsonValue,
  });
  return fc.array(mutation, { maxLength: 4 }).map((ms) => JSON.stringify(apply(template, ms)) ?? "null");
}

/** A body: a mutated valid one mostly; else any JSON, any text, or nothing. */
function bodyFrom(template: unknown): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: mutatedJson(template) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
    { weight: 1, arbitrary: fc.constantFrom("", "{", "[", "null", '{"batch":', "\u0000\u0001") },
  );
}

const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/x-www-form-urlencoded",
  "text/plain",
  "text/csv",
  "multipart/form-data; boundary=x",
  "",
);

const randomSegment = fc.oneof(
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.constantFrom("..", "%2e%2e", "%00", "a%2Fb", "x".repeat(3000), "%ZZ"),
);

function tracking(lift: FuzzLift): fc.Arbitrary<FuzzRequest> {
  const event = {
    type: "track",
    event: "Order Completed",
    userId: "c1",
    anonymousId: "a1",
    messageId: "m-fuzz",
    timestamp: "2026-11-20T10:00:00Z",
    properties: { revenue: 12.5, currency: "USD" },
    context: { campaign: { source: "google", medium: "cpc" } },
  };
  const basic = `Basic ${Buffer.from(`${lift.writeKey}:`).toString("base64")}`;
  return fc
    .record({
      path: fc.constantFrom("/v1/batch", "/v1/track", "/v1/identify", "/v1/page"),
      auth: fc.constantFrom("basic", "body", "bad", "none"),
      type: contentType,
      batch: fc.boolean(),
    })
    .chain(({ path, auth, type, batch }) => {
      const template =
        path === "/v1/batch" || batch
          ? { batch: [event, { ...event, type: "identify", traits: { email: "x@example.com" } }] }
          : { ...event, type: path.slice(4) };
      const withKey = auth === "body" ? { ...template, writeKey: lift.writeKey } : template;
      return bodyFrom(withKey).map((body) => ({
        method: "POST",
        path,
        headers: {
          ...(type ? { "content-type": type } : {}),
          ...(auth === "basic"
            ? { authorization: basic }
            : auth === "bad"
              ? { authorization: "Basic Zm9vOg==" }
              : {}),
        },
        body,
      }));
    });
}

function ingest(lift: FuzzLift): fc.Arbitrary<FuzzRequest> {
  const rows: Record<string, unknown> = {
    customers: {
      id: "c9",
      email: "new@example.com",
      first_seen: "2026-11-01T00:00:00Z",
      traits: { plan: "free" },
    },
    orders: {
      id: "o9",
      customer_id: "c1",
      amount: "19.99",
      timestamp: "2026-11-02T00:00:00Z",
      channel: "email",
    },
    campaigns: { date: "2026-11-01", campaign: "Brand", channel: "Paid search", spend: "120.50", clicks: 40 },
    mentions: {
      id: "p1",
      platform: "reddit",
      text: "love it",
      author: "someone",
      posted_at: "2026-11-01T00:00:00Z",
    },
    events: { type: "track", event: "Signed Up", userId: "c1", timestamp: "2026-11-01T00:00:00Z" },
  };
  const bearer = `Basic ${Buffer.from(`${lift.writeKey}:`).toString("base64")}`;
  return fc
    .record({
      kind: fc.constantFrom("customers", "orders", "campaigns", "mentions", "events", "nothing"),
      alias: fc.boolean(),
      shape: fc.constantFrom("rows", "array", "one", "named"),
      auth: fc.constantFrom("basic", "none", "bad"),
    })
    .chain(({ kind, alias, shape, auth }) => {
      const row = rows[kind] ?? rows["customers"];
      const template =
        shape === "rows"
          ? { rows: [row, row] }
          : shape === "array"
            ? [row]
            : shape === "one"
              ? row
              : { [kind]: [row] };
      return bodyFrom(template).map((body) => ({
        method: "POST",
        path: kind === "mentions" && alias ? "/v1/mentions" : `/v1/ingest/${kind}`,
        headers: {
          "content-type": "application/json",
          ...(auth === "basic"
            ? { authorization: bearer }
            : auth === "bad"
              ? { authorization: "Bearer nope" }
              : {}),
        },
        body,
      }));
    });
}

/** Commands people might send: every command's own examples, cut, extended or mangled, and any words. */
export function commandText(examples: readonly string[]): fc.Arbitrary<string> {
  const words = fc.string({ maxLength: 12 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...examples) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...examples),
          fc.nat(),
          fc.array(fc.oneof(words, nasty.map(String)), { maxLength: 3 }),
        )
        .map(([example, cut, extra]) => {
          const parts = example.split(" ");
          return [...parts.slice(0, 1 + (cut % parts.length)), ...extra].join(" ");
        }),
    },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 120 }) },
  );
}

/** Commands safe to run anywhere: nothing that reaches the internet (a source's or a CRM's pull). */
export function offline(text: string): boolean {
  return (
    !/\b(pull|sync|push|webhook|http|https|www\.)\b/i.test(text) &&
    !/^\s*(sources|crm|connectors)\b/i.test(text)
  );
}

function consoleRoutes(commands: fc.Arbitrary<string>): fc.Arbitrary<FuzzRequest> {
  const auth = fc.constantFrom<Record<string, string>>(
    { authorization: `Bearer ${CONSOLE_TOKEN}` },
    { authorization: `Bearer ${CONSOLE_TOKEN}` },
    { cookie: `lift_console=${CONSOLE_TOKEN}` },
    { authorization: "Bearer wrong" },
    {},
  );
  const post = (path: string, template: unknown) =>
    fc.record({ headers: auth, body: bodyFrom(template) }).map((r) => ({
      method: "POST",
      path,
      headers: { ...r.headers, "content-type": "application/json" },
      body: r.body,
    }));
  const get = (path: fc.Arbitrary<string>) =>
    fc.record({ headers: auth, path }).map((r) => ({ method: "GET", ...r }));
  return fc.oneof(
    { weight: 4, arbitrary: commands.chain((command) => post("/console/run", { command })) },
    { weight: 1, arbitrary: post("/console/feedback", { answer: "1", value: "good" }) },
    { weight: 1, arbitrary: post("/console/privacy/erase", { person: "grace@example.com", confirm: true }) },
    {
      weight: 1,
      arbitrary: post("/console/templates/win-back-1", { subject: "Hi", text: "Hello {{first_name}}" }),
    },
    {
      weight: 2,
      arbitrary: get(
        fc.oneof(
          fc.constantFrom(
            "/console/state",
            "/console/panels",
            "/",
            "/status",
            "/api/status",
            "/healthz",
            "/readyz",
          ),
          randomSegment.map((s) => `/console/privacy/export?person=${s}`),
          fc.constant("/console/privacy/export?person=grace%40example.com"),
          randomSegment.map((s) => `/console/panels/${s}`),
          fc.tuple(randomSegment, randomSegment).map(([a, b]) => `/console/charts/${a}/${b}`),
          randomSegment.map((s) => `/console/answers/${s}`),
          randomSegment.map((s) => `/console/templates/${s}`),
          randomSegment.map((s) => `/console/templates/${s}/edit`),
        ),
      ),
    },
  );
}

function slack(commands: fc.Arbitrary<string>, responseUrl: string): fc.Arbitrary<FuzzRequest> {
  const signature = fc.constantFrom("valid", "valid", "valid", "wrong", "stale", "none");
  const signed = (body: string, how: string, type: string): FuzzRequest => ({
    method: "POST",
    path: "/slack/events",
    headers: {
      "content-type": type,
      ...(how === "valid" ? sign.slack(body) : {}),
      ...(how === "stale" ? sign.slack(body, Date.now() - 3_600_000) : {}),
      ...(how === "wrong"
        ? { "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)), "x-slack-signature": "v0=00" }
        : {}),
    },
    body,
  });
  const slash = fc
    .record({ text: commands, how: signature, user: fc.constantFrom("U0FUZZ", "", "W0X") })
    .map(({ text, how, user }) =>
      signed(
        new URLSearchParams({
          command: "/lift",
          text,
          user_id: user,
          channel_id: "C0FUZZ",
          team_id: "T0LIFT",
          response_url: responseUrl,
          trigger_id: "1.2.3",
        }).toString(),
        how,
        "application/x-www-form-urlencoded",
      ),
    );
  const event = (eventBody: Record<string, unknown>) =>
    fc
      .record({
        body: bodyFrom({ type: "event_callback", team_id: "T0LIFT", event_id: "Ev0FUZZ", event: eventBody }),
        how: signature,
      })
      .map(({ body, how }) => signed(body, how, "application/json"));
  const action = fc
    .record({
      body: mutatedJson({
        type: "block_actions",
        user: { id: "U0FUZZ" },
        team: { id: "T0LIFT" },
        channel: { id: "C0FUZZ" },
        response_url: responseUrl,
        actions: [{ action_id: "lift_post_to_channel", value: "1", type: "button" }],
      }),
      how: signature,
    })
    .map(({ body, how }) =>
      signed(new URLSearchParams({ payload: body }).toString(), how, "application/x-www-form-urlencoded"),
    );
  return fc.oneof(
    { weight: 3, arbitrary: slash },
    {
      weight: 1,
      arbitrary: commands.chain((text) =>
        event({
          type: "app_mention",
          user: "U0FUZZ",
          text: `<@U0LIFT> ${text}`,
          channel: "C0FUZZ",
          ts: "1.1",
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: commands.chain((text) =>
        event({ type: "message", channel_type: "im", user: "U0FUZZ", text, channel: "D0FUZZ", ts: "1.2" }),
      ),
    },
    { weight: 1, arbitrary: event({ type: "app_home_opened", user: "U0FUZZ", tab: "home" }) },
    { weight: 1, arbitrary: action },
    {
      weight: 1,
      arbitrary: fc
        .record({ body: bodyFrom({ type: "url_verification", challenge: "abc" }), how: signature })
        .map(({ body, how }) => signed(body, how, "application/json")),
    },
  );
}

function links(lift: FuzzLift): fc.Arbitrary<FuzzRequest> {
  const token = fc.oneof(
    fc
      .tuple(fc.constantFrom<"u" | "c" | "o">("u", "c", "o"), fc.nat({ max: 50 }), fc.nat({ max: 5 }))
      .map(([p, n, i]) => signToken(lift.hashKey, p, n, i)),
    randomSegment,
  );
  return fc
    .record({
      token,
      route: fc.constantFrom("/v1/unsubscribe/", "/v1/r/", "/v1/o/"),
      method: fc.constantFrom("GET", "POST", "PUT"),
      body: fc.constantFrom("List-Unsubscribe=One-Click", "", "x=1"),
      query: fc.constantFrom("", "?u=https%3A%2F%2Fexample.com", "?u=javascript:alert(1)"),
    })
    .map(({ token, route, method, body, query }) => ({
      method,
      path: `${route}${token}${query}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      ...(method === "GET" ? {} : { body }),
    }));
}

function webhooks(): fc.Arbitrary<FuzzRequest> {
  const order = {
    id: 450789469,
    email: "buyer@example.com",
    created_at: "2026-11-20T10:00:00-05:00",
    currency: "USD",
    total_price: "59.00",
    financial_status: "paid",
    customer: { id: 207119551, email: "buyer@example.com" },
    line_items: [{ id: 1, price: "59.00", quantity: 1 }],
    refunds: [],
  };
  const charge = {
    id: "evt_1",
    type: "charge.succeeded",
    data: {
      object: {
        id: "ch_1",
        object: "charge",
        amount: 5900,
        currency: "usd",
        created: 1763632800,
        paid: true,
        status: "succeeded",
        billing_details: { email: "buyer@example.com" },
      },
    },
  };
  const shopify = fc
    .record({
      body: bodyFrom(order),
      topic: fc.constantFrom(
        "orders/create",
        "orders/updated",
        "orders/cancelled",
        "refunds/create",
        "carts/create",
        "",
      ),
      id: fc.oneof(fc.uuid(), fc.constant("")),
      signed: fc.boolean(),
    })
    .map(({ body, topic, id, signed }) => ({
      method: "POST",
      path: "/v1/webhooks/shopify",
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": topic,
        "x-shopify-webhook-id": id,
        "x-shopify-hmac-sha256": signed ? sign.shopify(body) : "AAAA",
      },
      body,
    }));
  const stripe = fc.record({ body: bodyFrom(charge), signed: fc.boolean() }).map(({ body, signed }) => ({
    method: "POST",
    path: "/v1/webhooks/stripe",
    headers: {
      "content-type": "application/json",
      "stripe-signature": signed ? sign.stripe(body) : "t=1,v1=00",
    },
    body,
  }));
  return fc.oneof(shopify, stripe);
}

function anywhere(): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
      path: fc.oneof(
        fc.constantFrom(
          "/",
          "/v1",
          "/v1/batch",
          "/slack/events",
          "/console/run",
          "/v1/ingest/",
          "/status",
          "/v1/webhooks/x",
        ),
        fc.array(randomSegment, { maxLength: 4 }).map((s) => `/${s.join("/")}`),
      ),
      type: contentType,
      body: fc.string({ unit: "binary", maxLength: 200 }),
    })
    .map(
      ({ method, path, type, body }): FuzzRequest => ({
        method,
        path,
        headers: type ? { "content-type": type } : ({} as Record<string, string>),
        ...(method === "GET" || method === "HEAD" ? {} : { body }),
      }),
    );
}

/** Requests to every route Lift serves, mostly near-valid so they get past the first check. */
export function requestArb(lift: FuzzLift, examples: readonly string[]): fc.Arbitrary<FuzzRequest> {
  const commands = commandText(examples).filter(offline);
  return fc.oneof(
    { weight: 3, arbitrary: tracking(lift) },
    { weight: 3, arbitrary: ingest(lift) },
    { weight: 3, arbitrary: consoleRoutes(commands) },
    { weight: 3, arbitrary: slack(commands, lift.responseUrl) },
    { weight: 2, arbitrary: links(lift) },
    { weight: 2, arbitrary: webhooks() },
    { weight: 1, arbitrary: anywhere() },
  );
}
