import { z } from "zod";
import { optionalText, optionalUrl } from "../../platform/contract/settings.ts";

/** Ask's settings: a language model, optional (ask reads questions without one). */
export const askSettings = z.object({
  /** A language model for ask (any OpenAI-compatible server with OPENAI_BASE_URL); ask works without one. */
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalUrl,
  LIFT_LLM_MODEL: z.string().trim().min(1).default("gpt-4o-mini"),
  /** OpenAI takes max_completion_tokens; many local servers (llama.cpp, vLLM, Ollama) max_tokens. */
  LIFT_LLM_TOKEN_PARAM: z.enum(["max_completion_tokens", "max_tokens"]).default("max_completion_tokens"),
  /** Caps per question: model calls, tokens in all, seconds. */
  LIFT_LLM_MAX_STEPS: z.coerce.number().int().min(1).max(10).default(4),
  LIFT_LLM_MAX_TOKENS: z.coerce.number().int().min(200).max(200_000).default(6000),
  LIFT_LLM_TIMEOUT_SECONDS: z.coerce.number().min(1).max(120).default(20),
});

export type AskSettings = z.infer<typeof askSettings>;

/** The language model's settings; none: ask works without one. */
export interface ModelSettings {
  apiKey: string;
  /** Any OpenAI-compatible server (a local one included); the SDK's default when unset. */
  baseURL?: string | undefined;
  model: string;
  /** OpenAI's API takes max_completion_tokens; many local servers only max_tokens. */
  tokenParam: "max_completion_tokens" | "max_tokens";
  /** Caps per question: model calls, tokens (prompt and completion), and time. */
  maxSteps: number;
  maxTokens: number;
  timeoutMs: number;
}

/** The model a question may use, or null when none is configured. */
export function modelOf(settings: AskSettings): ModelSettings | null {
  if (!settings.OPENAI_API_KEY) return null;
  return {
    apiKey: settings.OPENAI_API_KEY,
    baseURL: settings.OPENAI_BASE_URL,
    model: settings.LIFT_LLM_MODEL,
    tokenParam: settings.LIFT_LLM_TOKEN_PARAM,
    maxSteps: settings.LIFT_LLM_MAX_STEPS,
    maxTokens: settings.LIFT_LLM_MAX_TOKENS,
    timeoutMs: settings.LIFT_LLM_TIMEOUT_SECONDS * 1000,
  };
}
