import type OpenAI from "openai";
import { AppError } from "../../platform/base/errors.ts";
import type { CommandContext } from "../../platform/contract/capability.ts";
import { formatCell } from "../../platform/reports/cells.ts";
import type { Report } from "../../platform/reports/report.ts";
import { groundedSentences, SentenceGate } from "./grounding.ts";
import { type Completed, streamedCompletion } from "./model-stream.ts";
import { runReading } from "./run.ts";
import type { ModelSettings } from "./settings.ts";
import { toolDefinitions } from "./tools.ts";
import type { Understanding } from "./understand.ts";
import type { Tool, Vocabulary } from "./vocabulary.ts";

/** At most this many tokens for one completion (the rest of the question's budget, if smaller). */
const COMPLETION_TOKENS = 700;
/** Rows of a table a tool result shows the model. */
const TOOL_ROWS = 12;

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * What a tool returns to the model: the report's words and figures as people
 * read them, never quotes, member lists or emails (no personal data leaves).
 */
export function toolResult(report: Report): string {
  const lines = [`${report.title}${report.scope ? ` (${report.scope})` : ""}`, report.summary];
  if (report.period)
    lines.push(
      `Period: ${report.period.label}, ${report.period.from} to ${report.period.to} (${report.period.timeZone})`,
    );
  for (const fact of report.facts)
    lines.push(
      `${fact.label}: ${fact.value}${fact.change ? ` (${fact.change.text})` : ""}${fact.note ? ` — ${fact.note}` : ""}`,
    );
  if (report.table) {
    const { columns, rows, currency = "USD" } = report.table;
    lines.push(columns.map((c) => c.label).join(" | "));
    for (const row of rows.slice(0, TOOL_ROWS)) {
      lines.push(
        row
          .map((cell, i) => {
            const format = columns[i]?.format ?? "text";
            return format === "text"
              ? String(cell ?? "")
              : formatCell(format === "change" ? "percent" : format, cell as number | null, currency);
          })
          .join(" | "),
      );
    }
    if (rows.length > TOOL_ROWS) lines.push(`(${rows.length - TOOL_ROWS} more rows)`);
  }
  for (const warning of report.warnings) lines.push(`Note: ${warning}`);
  return lines.join("\n").replace(EMAIL, "[email]");
}

function systemPrompt(context: CommandContext, vocabulary: Vocabulary): string {
  const { platform } = context;
  return [
    "You answer marketers' questions about their data in Lift by calling tools. Call the tool(s) that answer the question; never guess figures.",
    `Today is ${platform.today()} in ${platform.settings.timeZone}; money is in ${platform.settings.currency}.`,
    "After the tool results, reply with at most two short sentences that point out what matters. Use only numbers that appear in the tool results, written as they appear there. If a tool returns an error, correct the arguments and call it again.",
    (vocabulary.names["campaign"] ?? []).length > 0
      ? `Campaigns (id: name): ${vocabulary.names["campaign"]!.map((c) => `${c.id}: ${c.name}`).join("; ")}.`
      : "",
    ...(vocabulary.descriptions ?? []),
    context.previous
      ? `This is a follow-up in a thread. The previous question was answered by the Lift command \`${context.previous}\`: keep its parameters (metric, period, filters) unless the user changes them.`
      : "",
  ]
    .filter(Boolean)
    .join("\n");
}

/** Why a call failed, in words safe to show and log (never the request or the key). */
function failureOf(error: unknown, timedOut: boolean): string {
  const e = error as { status?: number; name?: string; constructor?: { name?: string } };
  if (timedOut || e?.constructor?.name === "APIConnectionTimeoutError" || e?.name === "AbortError")
    return "it took too long";
  if (e?.status === 429) return "it is rate-limited (429)";
  if (e?.status === 401 || e?.status === 403) return `the key was refused (${e.status})`;
  if (typeof e?.status === "number") return `it answered ${e.status}`;
  if (e?.constructor?.name === "APIConnectionError") return "it could not be reached";
  return "it failed";
}

export interface ModelAnswer {
  report?: Report;
  failure?: string;
}

/**
 * The model path: chat completions with tool calling through the `openai`
 * package. The SDK's own retries and 10-minute timeout are off; each call gets
 * what is left of the question's time. Arguments are validated against the
 * tool's zod schema; bad ones go back as tool errors the model can correct.
 * The answer is the tools' Reports plus at most two sentences whose numbers are
 * all in the tool results.
 */
export async function askModel(
  question: string,
  context: CommandContext,
  vocabulary: Vocabulary,
  settings: ModelSettings,
  understanding: Understanding & { tools: Tool[] },
): Promise<ModelAnswer> {
  const { platform } = context;
  const available = understanding.tools;
  const { default: OpenAIClient } = await import("openai");
  const client = new OpenAIClient({
    apiKey: settings.apiKey,
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    maxRetries: 0,
    timeout: settings.timeoutMs,
  });
  const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
    { role: "system", content: systemPrompt(context, vocabulary) },
    { role: "user", content: question },
  ];
  const tools = toolDefinitions(available);
  const deadline = Date.now() + settings.timeoutMs;
  const reports: Report[] = [];
  const results: string[] = [];
  let tokens = 0;
  let steps = 0;
  let final = "";
  let gate: SentenceGate | null = null;
  const log = (outcome: string) =>
    platform.logger.info(
      { model: settings.model, steps, tokens, tools: reports.map((r) => r.kind), outcome },
      "ask: model used",
    );
  try {
    for (; steps < settings.maxSteps; ) {
      const left = deadline - Date.now();
      if (left <= 0) throw Object.assign(new Error("time cap"), { name: "AbortError" });
      const budget = Math.min(COMPLETION_TOKENS, settings.maxTokens - tokens);
      if (budget <= 0) break;
      steps++;
      const body = {
        model: settings.model,
        messages,
        tools,
        tool_choice: "auto",
        [settings.tokenParam]: budget,
      } as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
      // Streamed when someone watches: once a tool has answered, each checked sentence is shown as it is written.
      const onSentence = context.onSentence;
      gate = onSentence && reports.length > 0 ? new SentenceGate(results, onSentence) : null;
      const message = onSentence
        ? await streamedCompletion(client, body, left, gate ? (piece) => gate?.write(piece) : null)
        : await completed(client, body, left);
      if (!message) break;
      tokens += message.tokens;
      const calls = message.toolCalls;
      if (calls.length === 0) {
        final = message.content;
        gate?.end();
        break;
      }
      messages.push({ role: "assistant", content: message.content || null, tool_calls: calls });
      // Every tool_call_id is answered, in order, whatever happens to the call.
      for (const call of calls) {
        const content = await runTool(call, available, context, reports, results);
        messages.push({ role: "tool", tool_call_id: call.id, content });
      }
      if (tokens >= settings.maxTokens) break;
    }
  } catch (error) {
    const failure = failureOf(error, Date.now() >= deadline);
    log(`failed: ${failure}`);
    return { failure };
  }
  if (reports.length === 0) {
    log("no tool answered");
    return { failure: "it called no tool that answered" };
  }
  log("answered");
  // What was streamed is what the answer says: the gate's sentences are the ones groundedSentences keeps.
  const { kept, dropped } = gate
    ? { kept: gate.kept, dropped: gate.dropped }
    : (({ kept, dropped }) => ({ kept, dropped: dropped.length }))(groundedSentences(final, results));
  return { report: combine(reports, kept, dropped, settings.model) };
}

/** One completion, whole. */
async function completed(
  client: OpenAI,
  body: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
  timeout: number,
): Promise<Completed | null> {
  const completion = await client.chat.completions.create(body, { timeout, maxRetries: 0 });
  const message = completion.choices[0]?.message;
  if (!message) return null;
  return {
    content: message.content ?? "",
    toolCalls: message.tool_calls ?? [],
    tokens: completion.usage?.total_tokens ?? 0,
  };
}

async function runTool(
  call: OpenAI.Chat.Completions.ChatCompletionMessageToolCall,
  tools: readonly Tool[],
  context: CommandContext,
  reports: Report[],
  results: string[],
): Promise<string> {
  if (call.type !== "function")
    return `Error: only function tools are available (got a ${call.type} tool call).`;
  const tool = tools.find((t) => t.name === call.function.name);
  if (!tool)
    return `Error: there is no tool “${call.function.name}”. Tools: ${tools.map((t) => t.name).join(", ")}.`;
  let raw: unknown;
  try {
    raw = call.function.arguments.trim() === "" ? {} : JSON.parse(call.function.arguments);
  } catch {
    return "Error: the arguments are not valid JSON; send a JSON object matching the tool's parameters.";
  }
  const parsed = tool.schema.safeParse(raw);
  if (!parsed.success) {
    return `Error: ${parsed.error.issues.map((i) => `${i.path.join(".") || "arguments"}: ${i.message}`).join("; ")}.`;
  }
  try {
    const command = tool.command(parsed.data, context.platform.today());
    const report = await runReading(command, [], context);
    reports.push(report);
    const result = toolResult(report);
    results.push(result, command);
    return result;
  } catch (error) {
    if (error instanceof AppError) return `Error: ${error.message}${error.hint ? ` (${error.hint})` : ""}.`;
    throw error;
  }
}

/** One answer from the tools' reports: the first is the answer, the others follow in its details; the model's checked sentences lead. */
function combine(reports: Report[], sentences: string[], dropped: number, model: string): Report {
  const [first, ...others] = reports as [Report, ...Report[]];
  const details = [...(first.details ?? [])];
  const charts = [...first.charts];
  for (const other of others) {
    details.push(`${other.title}: ${other.summary}`);
    charts.push(...other.charts.slice(0, 1));
  }
  if (sentences.length > 0 || dropped > 0) {
    details.push(
      `${sentences.length > 0 ? "The first sentences were written by a language model" : "A language model's sentences were left out"} (${model}); ${
        dropped > 0
          ? `${dropped} sentence${dropped === 1 ? "" : "s"} with a number not in the figures ${dropped === 1 ? "was" : "were"} dropped.`
          : "every number in them is in the figures below."
      }`,
    );
  }
  return {
    ...first,
    summary: sentences.length > 0 ? `${sentences.join(" ")} ${first.summary}` : first.summary,
    ...(sentences.length > 0 ? { lead: sentences } : {}),
    charts: charts.slice(0, 3),
    ...(details.length > 0 ? { details } : {}),
  };
}
