import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local OpenAI-compatible server that streams chat completions as the API
 * does (`stream: true`): server-sent events, each `data:` a
 * chat.completion.chunk, text in `delta.content`, tool calls in
 * `delta.tool_calls` pieces by index, a usage chunk last when
 * `stream_options.include_usage` asks, then `data: [DONE]`. Each request
 * gets the next scripted answer, which sees the request body.
 */
export interface ChatBody {
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages: { role: string; content: string | null; tool_call_id?: string }[];
  [key: string]: unknown;
}

export type StreamStep = (body: ChatBody) => {
  text?: string[];
  toolCalls?: { id: string; name: string; args: string[] }[];
};

export interface FakeOpenAI {
  url: string;
  bodies: ChatBody[];
  close(): Promise<void>;
}

export async function streamingOpenAI(steps: StreamStep[]): Promise<FakeOpenAI> {
  const bodies: ChatBody[] = [];
  let next = 0;
  let id = 0;
  const server: Server = createServer((req, res) => {
    let data = "";
    req.on("data", (chunk) => {
      data += chunk;
    });
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(data) as ChatBody;
      bodies.push(body);
      const step = steps[next++];
      if (!step || !body.stream) {
        res
          .writeHead(500, { "content-type": "application/json" })
          .end(`{"error":{"message":"${step ? "expected a streamed request" : "script ran out"}"}}`);
        return;
      }
      const out = step(body);
      const base = {
        id: `chatcmpl-${++id}`,
        object: "chat.completion.chunk",
        created: 1764576000,
        model: "test-model",
      };
      const events: unknown[] = [
        { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
      ];
      for (const piece of out.text ?? [])
        events.push({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
      (out.toolCalls ?? []).forEach((call, index) => {
        events.push({
          ...base,
          choices: [
            {
              index: 0,
              delta: {
                tool_calls: [
                  { index, id: call.id, type: "function", function: { name: call.name, arguments: "" } },
                ],
              },
              finish_reason: null,
            },
          ],
        });
        for (const piece of call.args)
          events.push({
            ...base,
            choices: [
              {
                index: 0,
                delta: { tool_calls: [{ index, function: { arguments: piece } }] },
                finish_reason: null,
              },
            ],
          });
      });
      events.push({
        ...base,
        choices: [{ index: 0, delta: {}, finish_reason: out.toolCalls ? "tool_calls" : "stop" }],
      });
      if (body.stream_options?.include_usage)
        events.push({
          ...base,
          choices: [],
          usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
        });
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const event of events) res.write(`data: ${JSON.stringify(event)}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    bodies,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
