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

/** "what is a customer worth", "customer lifetime value", "our most valuable customers". */
const CLV =
  /\b(?:ltv|clv|cltv|life ?time values?|customer values?|what (?:is|are) (?:a |an average |our |my )?customers? worth|(?:most )?valuable customers|value of (?:a |our )?customers?)\b/;

/** "who is likely to churn", "customers at risk of churning", "who stopped buying". */
const CHURN =
  /\b(?:churn risk|likely to (?:churn|leave|lapse|stop buying)|about to (?:churn|leave|lapse)|at risk of (?:churn(?:ing)?|leaving|lapsing)|(?:customers|who) (?:has |have )?(?:stopped|quit) (?:buying|ordering)|lapsing customers|likely (?:gone|lost)|going to churn|will churn)\b/;

/** A part of the customers ("for email customers", "in germany", "from paid social"). */
const PART =
  /\b(?<!\bas )(?:for|from|in|among|of)\s+(?!(?:a|an|our|my|each|every|all|the|one|per)\b|customers?\b|us\b|the (?:next|last|coming)\b)((?:the\s+)?[\p{L}\d][\p{L}\d -]*)/u;

/** A breakdown customer value does not have. */
const BY = /\bby (?:channel|campaign|country|source|segment|month|week|day|plan|product)s?\b/;

/** Customer value and churn risk in ask: the `clv` and `churn risk` answers, never a KPI about something else. */
export const customerVocabulary: AskVocabulary = {
  id: "predict-customers",
  order: 4,
  words: ["clv", "ltv", "churn", "lifetime", "valuable"],
  read(question) {
    const { text } = question;
    const churn = CHURN.test(text);
    if (!churn && !CLV.test(text)) return null;
    const what = churn ? "churn risk" : "customer value";
    const instead = [
      churn ? "churn risk" : "clv",
      "segment create valuable where clv_12m > 500",
      "revenue last 90 days by channel for segment valuable",
    ];
    if (BY.test(text))
      return {
        kind: "cannot",
        what: `break ${what} down ${BY.exec(text)![0]}`,
        instead,
        notes: question.notes,
      };
    // "clv for email customers", "churn risk in germany": the answer covers every customer, never a part.
    const rest = text.replace(churn ? CHURN : CLV, " ");
    const part = PART.exec(rest);
    if (part)
      return {
        kind: "cannot",
        what: `give ${what} for “${part[1]!.trim()}”`,
        instead,
        notes: question.notes,
      };
    return commandReading(churn ? "churn risk" : "clv", question);
  },
};
