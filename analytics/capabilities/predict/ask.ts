import { type AskVocabulary, commandReading, type Question } from "../ask/index.ts";
import { readAmount, readHorizon, scopeWords, splitHorizon } from "./words.ts";

/** "will we hit $1M revenue this quarter", "are we on track to reach 5000 orders this month". */
const TARGET =
  /\b(?:will we|are we (?:on track|going) to|can we|do we|are we likely to|on (?:track|course|pace) (?:to|for))\s+(?:hit|reach|make|get to|do|pass|beat|exceed|cross|be at)\b|\b(?:hit|reach|make)\s+(?:our|the)\s+(?:target|goal)\b/;

/** "forecast revenue", "what will revenue be next month", "predict orders", "projected signups". */
const FORECAST =
  /\b(?:forecasts?|forecasted|predict(?:ed|ion)?s?|projections?|projected|expected|outlook)\b|\bwhat will\b.*\bbe\b|\bhow (?:much|many)\b.*\bwill (?:we|there)\b|\b(?:end|close) (?:the|this) (?:month|quarter|year) (?:at|with|on)\b/;

/** The words of a forecast question that are not its metric, channel or campaign. */
const ASKING =
  /\b(?:forecasts?|forecasted|predict(?:ed|ion)?s?|projections?|projected|expected|outlook|what|will|we|be|how|much|many|hit|reach|make|get|to|on|track|course|pace|going|can|do|are|is|likely|pass|beat|exceed|cross|target|goal|our|the|end|close|at|with|by|in|for the|of|there)\b/g;

function read(question: Question) {
  const { text } = question;
  const target = TARGET.test(text);
  if (!target && !FORECAST.test(text)) return null;
  const split = splitHorizon(text);
  // The phrase in the command's own words; one it refuses ("q2" in Q4) goes on as written, for it to say why.
  let horizon = split.phrase ?? "";
  try {
    if (split.phrase) horizon = readHorizon(split.phrase, question.today).horizon.text;
  } catch {
    // Kept as written.
  }
  const amount = target ? readAmount(split.rest) : null;
  if (target && !amount) return null;
  // The metric and its channel or campaign, as the KPI grammar reads them: the forecast needs one.
  const kpi = question.kpi(
    ` ${(amount ? amount.rest : split.rest)
      .replace(/[?!.,]/g, " ")
      .replace(ASKING, " ")
      .replace(/\s+/g, " ")
      .trim()} `,
  );
  const metric = kpi?.query.metrics[0];
  if (!metric || kpi.query.metrics.length > 1) return null;
  const scope = scopeWords(kpi.query.filter);
  const command = amount
    ? `target ${metric} ${amount.amount} ${scope} ${horizon || "this quarter"}`
    : `forecast ${metric} ${scope} ${horizon}`;
  return commandReading(command.replace(/\s+/g, " ").trim(), question);
}

/** Forecasts in ask: questions about what a KPI will be, and whether it will reach a total. */
export const predictVocabulary: AskVocabulary = {
  id: "predict",
  order: 5,
  words: ["forecast", "predict", "projection", "target"],
  read,
};
