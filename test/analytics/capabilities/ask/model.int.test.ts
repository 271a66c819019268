import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { ModelSettings } from "../../../../analytics/capabilities/ask/settings.ts";
import { createLogger } from "../../../../analytics/platform/base/log.ts";
import { demoDb, type TestDb } from "../../../support/db.ts";

/**
 * A local OpenAI-compatible server speaking chat completions' wire format
 * (POST /v1/chat/completions; tool_calls with JSON-string arguments; usage),
 * answering from a script: each request gets the next step, which sees the
 * request body. The real `openai` package talks to it.
 */
type Step = (body: ChatBody) => { status?: number; json?: unknown; hang?: boolean };
interface ChatBody {
  model: string;
  messages: { role: string; content: string | null; tool_call_id?: string; tool_calls?: { id: string }[] }[];
  tools: { type: string; function: { name: string; parameters: Record<string, unknown> } }[];
  [key: string]: unknown;
}

let t: TestDb;
let server: Server | null = null;
afterEach(async () => {
  t?.cleanup();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

async function fakeOpenAI(steps: Step[]): Promise<{ url: string; bodies: ChatBody[]; raw: string[] }> {
  const bodies: ChatBody[] = [];
  const raw: string[] = [];
  let next = 0;
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = "";
    req.on("data", (chunk) => {
      data += chunk;
    });
    req.on("end", () => {
      if (
        req.method !== "POST" ||
        req.url !== "/v1/chat/completions" ||
        req.headers.authorization !== "Bearer sk-test"
      ) {
        res.writeHead(404).end();
        return;
      }
      raw.push(data);
      const body = JSON.parse(data) as ChatBody;
      bodies.push(body);
      const step = steps[next++];
      if (!step) {
        res
          .writeHead(500, { "content-type": "application/json" })
          .end('{"error":{"message":"script ran out"}}');
        return;
      }
      const out = step(body);
      if (out.hang) return;
      res
        .writeHead(out.status ?? 200, {
          "content-type": "application/json",
          ...(out.status === 429 ? { "retry-after": "20" } : {}),
        })
        .end(JSON.stringify(out.json));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1`, bodies, raw };
}

let calls = 0;
const completion = (message: Record<string, unknown>, tokens = 120) => ({
  json: {
    id: `chatcmpl-${++calls}`,
    object: "chat.completion",
    created: 1764576000,
    model: "test-model",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: null, ...message },
        finish_reason: message["tool_calls"] ? "tool_calls" : "stop",
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: tokens - 20, completion_tokens: 20, total_tokens: tokens },
  },
});
const toolCall = (id: string, name: string, args: string) => ({
  id,
  type: "function",
  function: { name, arguments: args },
});

function platformWith(url: string, overrides: Partial<ModelSettings> = {}, log?: string[]) {
  const model: ModelSettings = {
    apiKey: "sk-test",
    baseURL: url,
    model: "test-model",
    tokenParam: "max_completion_tokens",
    maxSteps: 4,
    maxTokens: 6000,
    timeoutMs: 5000,
    ...overrides,
  };
  const sink = new Writable({
    write(chunk, _enc, done) {
      log?.push(String(chunk));
      done();
    },
  });
  t = demoDb({
    env: {
      OPENAI_API_KEY: model.apiKey,
      OPENAI_BASE_URL: model.baseURL!,
      LIFT_LLM_MODEL: model.model,
      LIFT_LLM_TOKEN_PARAM: model.tokenParam,
      LIFT_LLM_MAX_STEPS: String(model.maxSteps),
      LIFT_LLM_MAX_TOKENS: String(model.maxTokens),
      LIFT_LLM_TIMEOUT_SECONDS: String(model.timeoutMs / 1000),
    },
    ...(log ? { logger: createLogger("info", sink) } : {}),
  });
  return t.platform;
}

const QUESTION = "how much money came in yesterday, roughly?";

describe("ask with a language model (a local OpenAI-compatible server)", () => {
  it("answers with the tool's report and keeps only sentences whose numbers are in it", async () => {
    let revenue = "";
    const fake = await fakeOpenAI([
      () =>
        completion({
          tool_calls: [toolCall("call_1", "kpi_query", '{"metrics":["revenue"],"period":"yesterday"}')],
        }),
      (body) => {
        const tool = body.messages.find((m) => m.role === "tool")!;
        expect(tool.tool_call_id).toBe("call_1");
        revenue = /Revenue: (\$[\d,.]+)/.exec(tool.content!)![1]!;
        return completion({
          content: `Revenue came to ${revenue} yesterday. It will reach $9,999,999 tomorrow.`,
        });
      },
    ]);
    const log: string[] = [];
    const platform = platformWith(fake.url, {}, log);
    const report = await platform.answer(QUESTION, { userId: "cli" });
    expect(report.kind).toBe("kpi");
    expect(report.summary.startsWith(`Revenue came to ${revenue} yesterday. Revenue was`)).toBe(true);
    expect(report.summary).not.toContain("9,999,999");
    expect(report.details!.join(" ")).toMatch(/1 sentence with a number not in the figures was dropped/);
    expect((await platform.answers.get(report.id!))!.command).toBe("kpi revenue yesterday");
    // The request as the SDK sends it: tools from zod as JSON schemas, the token cap under its configured name.
    const first = fake.bodies[0]!;
    expect(first.model).toBe("test-model");
    expect(first["max_completion_tokens"]).toBe(700);
    expect(first["max_tokens"]).toBeUndefined();
    expect(first.tools.map((tool) => tool.function.name)).toContain("explain_change");
    expect(first.tools.find((tool) => tool.function.name === "kpi_query")!.function.parameters).toMatchObject(
      {
        type: "object",
        required: ["metrics"],
      },
    );
    // Token use is logged; the question and the answer's text are not.
    const used = log
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l["msg"] === "ask: model used")!;
    expect(used).toMatchObject({ tokens: 240, steps: 2, outcome: "answered" });
    expect(log.join("\n")).not.toContain("money came in");
    expect(log.join("\n")).not.toContain(revenue);
  });

  it("sends malformed arguments, unknown tools and other tool types back as errors the model corrects", async () => {
    const fake = await fakeOpenAI([
      () =>
        completion({
          tool_calls: [
            toolCall("call_a", "kpi_query", "{metrics: revenue"),
            toolCall("call_b", "run_sql", '{"sql":"select * from orders"}'),
            toolCall("call_c", "kpi_query", '{"metrics":[]}'),
            toolCall("call_d", "kpi_query", '{"metrics":["revenue"],"period":"the other day"}'),
            { id: "call_e", type: "custom", custom: { name: "kpi_query", input: "revenue" } },
          ],
        }),
      (body) => {
        const tools = body.messages.filter((m) => m.role === "tool");
        // Every tool_call_id is answered, in order, each with what was wrong.
        expect(tools.map((m) => m.tool_call_id)).toEqual(["call_a", "call_b", "call_c", "call_d", "call_e"]);
        expect(tools[0]!.content).toMatch(/not valid JSON/);
        expect(tools[1]!.content).toMatch(/no tool “run_sql”/);
        expect(tools[2]!.content).toMatch(/^Error: metrics: /);
        expect(tools[3]!.content).toMatch(/I could not read “other day”/);
        expect(tools[4]!.content).toMatch(/only function tools/);
        return completion({
          tool_calls: [
            toolCall(
              "call_f",
              "kpi_query",
              '{"metrics":["orders"],"period":"last 7 days","breakdown":"channel"}',
            ),
          ],
        });
      },
      () => completion({ content: "Orders by channel are below." }),
    ]);
    const report = await platformWith(fake.url).answer(QUESTION, { userId: "cli" });
    expect(report.command).toBe("kpi orders last 7 days by channel");
    expect(report.summary.startsWith("Orders by channel are below.")).toBe(true);
  });

  it("falls back to reading the question itself on a 429, and says so", async () => {
    const fake = await fakeOpenAI([
      () => ({
        status: 429,
        json: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
      }),
    ]);
    const report = await platformWith(fake.url).answer(QUESTION, { userId: "cli" });
    expect(fake.bodies).toHaveLength(1); // the SDK's own retries are off
    expect(report.command).toBe("kpi revenue yesterday");
    expect(report.warnings[0]).toBe(
      "The language model could not answer (it is rate-limited (429)); read without it.",
    );
  });

  it("falls back when the model takes longer than the question's time cap", async () => {
    const fake = await fakeOpenAI([() => ({ hang: true })]);
    const started = Date.now();
    const report = await platformWith(fake.url, { timeoutMs: 1000 }).answer(QUESTION, { userId: "cli" });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.warnings[0]).toMatch(/took too long/);
    expect(report.command).toBe("kpi revenue yesterday");
  });

  it("stops at the step cap and answers with what the tools returned", async () => {
    const again = () => completion({ tool_calls: [toolCall(`c${calls}`, "budget_pacing", "{}")] });
    const fake = await fakeOpenAI([again, again, again]);
    const report = await platformWith(fake.url, { maxSteps: 2 }).answer(QUESTION, { userId: "cli" });
    expect(fake.bodies).toHaveLength(2);
    expect(report.kind).toBe("pacing");
  });

  it("keeps a thread's question in the prompt, uses the configured token parameter, and sends no personal data", async () => {
    const fake = await fakeOpenAI([
      (body) => {
        expect(body.messages[0]!.content).toContain("`kpi revenue last 7 days for email`");
        return completion({
          tool_calls: [
            toolCall("s1", "segment_profile", "{}"),
            toolCall("s2", "mentions_search", '{"period":"last 30 days"}'),
            toolCall("s3", "kpi_query", '{"metrics":["revenue"],"period":"last month","channel":"email"}'),
          ],
        });
      },
      () => completion({ content: "Here it is." }),
    ]);
    const platform = platformWith(fake.url, { tokenParam: "max_tokens" });
    const report = await platform.answer("and the month before that, roughly?", {
      userId: "cli",
      previous: "kpi revenue last 7 days for email",
    });
    expect(fake.bodies[0]!["max_tokens"]).toBe(700);
    expect(fake.bodies[0]!["max_completion_tokens"]).toBeUndefined();
    expect(fake.raw.join("\n")).not.toMatch(/@example\.com/);
    expect(report.command).toMatch(/^segment|^segments|^mentions|^kpi/);
  });
});
