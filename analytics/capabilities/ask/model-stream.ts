import type OpenAI from "openai";

type CreateParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type ToolCall = OpenAI.Chat.Completions.ChatCompletionMessageToolCall;

export interface Completed {
  content: string;
  toolCalls: ToolCall[];
  tokens: number;
}

/**
 * One chat completion streamed (server-sent events, `stream: true`): its text
 * is handed to `onText` piece by piece as the model writes it, until the model
 * starts calling tools (text before a tool call is its thinking aloud, not the
 * answer); tool calls are put together from their pieces by index and returned
 * whole, with the tokens used (`stream_options.include_usage`).
 */
export async function streamedCompletion(
  client: OpenAI,
  body: CreateParams,
  timeout: number,
  onText: ((piece: string) => void) | null,
): Promise<Completed> {
  const stream = await client.chat.completions.create(
    { ...body, stream: true, stream_options: { include_usage: true } },
    { timeout, maxRetries: 0 },
  );
  let content = "";
  let tokens = 0;
  const calls: { id: string; name: string; arguments: string }[] = [];
  for await (const chunk of stream) {
    if (chunk.usage) tokens = chunk.usage.total_tokens;
    const delta = chunk.choices[0]?.delta;
    if (!delta) continue;
    for (const piece of delta.tool_calls ?? []) {
      calls[piece.index] ??= { id: "", name: "", arguments: "" };
      const call = calls[piece.index]!;
      if (piece.id) call.id = piece.id;
      if (piece.function?.name) call.name += piece.function.name;
      if (piece.function?.arguments) call.arguments += piece.function.arguments;
    }
    if (delta.content) {
      content += delta.content;
      if (calls.length === 0) onText?.(delta.content);
    }
  }
  return {
    content,
    tokens,
    toolCalls: calls
      .filter((call) => call !== undefined)
      .map((call) => ({
        id: call.id,
        type: "function" as const,
        function: { name: call.name, arguments: call.arguments },
      })),
  };
}
