import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { anomalyAlert } from "../../analytics/capabilities/alerts/anomaly.ts";
import { changeAlert } from "../../analytics/capabilities/alerts/change.ts";
import { noDataAlert } from "../../analytics/capabilities/alerts/no-data.ts";
import { thresholdAlert } from "../../analytics/capabilities/alerts/threshold.ts";
import { parseAutomation, readDuration } from "../../analytics/capabilities/automations/grammar.ts";
import { readTemplateFile } from "../../analytics/capabilities/automations/template-store.ts";
import { readQuietHours } from "../../analytics/capabilities/automations/timing.ts";
import { fromWebhook, orderRow } from "../../analytics/capabilities/connectors/shopify.ts";
import { fromCharge, fromSession, paymentRow } from "../../analytics/capabilities/connectors/stripe.ts";
import { readSync } from "../../analytics/capabilities/crm/commands.ts";
import { parseVariants } from "../../analytics/capabilities/experiments/data.ts";
import { parseFunnelSteps } from "../../analytics/capabilities/funnels/funnels.ts";
import { readSeriesCsv } from "../../analytics/capabilities/predict/cli.ts";
import { readAsOf } from "../../analytics/capabilities/predict/clv-commands.ts";
import { readAmount, readHorizon } from "../../analytics/capabilities/predict/words.ts";
import { parseRule } from "../../analytics/capabilities/segments/rules.ts";
import { loadXmlParser, parseFeed } from "../../analytics/capabilities/social/connectors/rss.ts";
import { readWhere, readWho } from "../../analytics/platform/access/subjects.ts";
import { isAppError } from "../../analytics/platform/base/errors.ts";
import { parseKpiQuestion } from "../../analytics/platform/metrics/grammar.ts";
import { parsePeriod } from "../../analytics/platform/metrics/periods.ts";
import { readSchedule } from "../../analytics/platform/time/schedule.ts";
import { fuzzOptions, fuzzTimeout } from "./budget.ts";
import { commandText } from "./requests.ts";

/*
 * Every parser of text people or other systems write — the command language's parts (KPI
 * questions, periods, schedules, funnels, variants, horizons), the rule language (segments), the
 * alert rules, the automation language, access subjects, templates, series files, feeds and the
 * shops' webhook payloads — given generated text near what they read. Each returns or refuses
 * with Lift's own error (a sentence for the person); none throws anything else.
 */

const SECONDS = 2;
const TODAY = "2026-11-23";

/** Runs `parse`; passes when it returns or throws an AppError, fails on anything else. */
function readsOrRefuses(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!isAppError(error)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
  }
}

/** Text made from a parser's own vocabulary, shuffled and mangled, and any text. */
function near(words: readonly string[]): fc.Arbitrary<string> {
  const word = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...words) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", " ", '"', "(", ")", "-1", "1e309", "NaN", "__proto__", "\u0000", "😀"),
    },
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(word, { maxLength: 12 }).map((w) => w.join(" ")) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 200 }) },
  );
}

const KPI_WORDS = [
  "revenue",
  "orders",
  "visitors",
  "aov",
  "roas",
  "spend",
  "signups",
  "conversion",
  "by",
  "channel",
  "campaign",
  "day",
  "week",
  "last",
  "7",
  "30",
  "days",
  "yesterday",
  "this",
  "month",
  "quarter",
  "vs",
  "previous",
  "year",
  "for",
  "email",
  "paid",
  "search",
  "and",
  "from",
  "to",
  "2026-11-01",
  "Nov",
  "3",
];
const RULE_WORDS = [
  "orders",
  "revenue",
  "aov",
  "last_order",
  "first_order",
  "channel",
  "email",
  "country",
  "plan",
  "=",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "in",
  "(",
  ")",
  ",",
  "and",
  "or",
  "not",
  "segment",
  '"champions"',
  "did",
  '"Signed Up"',
  "7d",
  "60d",
  "3",
  "100",
  "'US'",
  "us",
  "pro",
];
const AUTOMATION_WORDS = [
  "when",
  "customer",
  "enters",
  "segment",
  '"vips"',
  "event",
  '"Product Added"',
  "without",
  '"Order Completed"',
  "within",
  "2",
  "hours",
  "send",
  "email",
  "win-back-1",
  "wait",
  "3",
  "days",
  "until",
  "09:00",
  "if",
  "no",
  "order",
  "an",
  "in",
  "not",
  "call",
  "webhook",
  "https://example.com/hook",
  "post",
  "to",
  "slack",
  "owner",
  "C0123",
  '"hi"',
  ",",
  "then",
];
const ALERT_WORDS = [
  "revenue",
  "orders",
  "drops",
  "rises",
  "below",
  "above",
  "by",
  "20%",
  "$500",
  "day",
  "over",
  "week",
  "no",
  "data",
  "for",
  "2",
  "hours",
  "unusual",
  "in",
  "email",
  "channel",
  "daily",
  "weekly",
  "than",
  "more",
  "less",
];

describe("every parser, fuzzed", () => {
  beforeAll(async () => {
    await loadXmlParser();
  });

  const cases: [string, fc.Arbitrary<string>, (text: string) => unknown][] = [
    ["KPI questions", near(KPI_WORDS), (t) => parseKpiQuestion(t, TODAY)],
    ["periods", near(KPI_WORDS), (t) => parsePeriod(t, TODAY)],
    [
      "schedules",
      near([
        "every",
        "day",
        "monday",
        "at",
        "09:00",
        "9am",
        "weekly",
        "daily",
        "hour",
        "15m",
        "on",
        "the",
        "1st",
      ]),
      readSchedule,
    ],
    [
      "segment rules",
      near(RULE_WORDS),
      (t) =>
        parseRule(t, [
          { name: "country", type: "text" },
          { name: "plan", type: "text" },
        ]),
    ],
    ["automations", near(AUTOMATION_WORDS), (t) => parseAutomation(t)],
    [
      "durations and quiet hours",
      near(["3", "days", "2", "hours", "21:00-08:00", "90", "minutes", "-", "weeks"]),
      (t) => [readDuration(t), readQuietHours(t)],
    ],
    [
      "alert rules",
      near(ALERT_WORDS),
      (t) =>
        [thresholdAlert, changeAlert, anomalyAlert, noDataAlert].map((kind) =>
          kind.parse(t, { today: TODAY, currency: "USD" }),
        ),
    ],
    [
      "funnels and variants",
      near(['"Product Viewed"', ">", '"Order Completed"', "control:50", "b:50", ",", "within", "1", "day"]),
      (t) => [parseFunnelSteps(t), parseVariants(t)],
    ],
    [
      "horizons, amounts and days",
      near([
        "this",
        "month",
        "quarter",
        "year",
        "next",
        "30",
        "days",
        "1000000",
        "$1M",
        "2k",
        "as",
        "of",
        "2026-10-01",
      ]),
      (t) => [readHorizon(t, TODAY), readAmount(t), readAsOf(t)],
    ],
    [
      "CRM syncs",
      near(["sync", '"champions"', "to", "hubspot", "salesforce", "as", "list", '"Q4"', "confirmed"]),
      readSync,
    ],
    [
      "access subjects",
      near([
        "<!subteam^S0614TZR7|@marketing-team>",
        "@marketing-team",
        "<@U024BE7LH>",
        "<#C024BE91L|growth>",
        "#growth",
        "S0614TZR7",
        "U0X",
      ]),
      (t) => [readWho(t), readWhere(t)].length,
    ],
    [
      "templates",
      near([
        "subject:",
        "Hi {{first_name}}",
        "---",
        "\n",
        "{{",
        "}}",
        "{{#if plan}}",
        "{{/if}}",
        "unsubscribe",
      ]).map((t) => t.replace(/ --- /g, "\n---\n")),
      readTemplateFile,
    ],
    [
      "series files",
      near(["date,value", "\n", "2026-11-01,10", "2026-11-02,", ",", "x", "2026-13-01,1", "1e309"]).map((t) =>
        t.replace(/ \n /g, "\n"),
      ),
      readSeriesCsv,
    ],
  ];

  for (const [name, text, parse] of cases)
    it(
      `reads or refuses ${name}, never throwing anything else`,
      () => {
        fc.assert(
          fc.property(text, (t) => readsOrRefuses(() => parse(t))),
          fuzzOptions(SECONDS),
        );
      },
      fuzzTimeout(SECONDS),
    );

  it(
    "reads RSS and Atom feeds or refuses them, whatever the XML",
    () => {
      const item = fc
        .record({
          title: fc.string({ maxLength: 40 }),
          link: fc.oneof(fc.webUrl(), fc.string({ maxLength: 20 })),
          date: fc.oneof(fc.constant("Mon, 23 Nov 2026 08:00:00 GMT"), fc.string({ maxLength: 20 })),
          guid: fc.string({ maxLength: 10 }),
        })
        .map(
          ({ title, link, date, guid }) =>
            `<item><title>${title}</title><link>${link}</link><pubDate>${date}</pubDate><guid>${guid}</guid><description><![CDATA[${title}]]></description></item>`,
        );
      const feed = fc.oneof(
        fc
          .array(item, { maxLength: 5 })
          .map(
            (items) =>
              `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>${items.join("")}</channel></rss>`,
          ),
        fc
          .array(item, { maxLength: 3 })
          .map(
            (items) =>
              `<feed xmlns="http://www.w3.org/2005/Atom"><title>a</title>${items.join("").replace(/item>/g, "entry>")}</feed>`,
          ),
        fc.string({ maxLength: 300 }).map((s) => `<rss><channel>${s}</channel></rss>`),
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.constantFrom(
          "",
          "<",
          '<!DOCTYPE x [<!ENTITY a "aaaa">]><rss>&a;&a;</rss>',
          "<rss><channel><item></item></channel></rss>",
        ),
      );
      fc.assert(
        fc.property(feed, (xml) => readsOrRefuses(() => parseFeed(xml, "https://example.com/feed"))),
        fuzzOptions(SECONDS),
      );
    },
    fuzzTimeout(SECONDS),
  );

  it(
    "reads the shops' webhook payloads into orders or refuses them",
    () => {
      const payload = fc.dictionary(
        fc.constantFrom(
          "id",
          "email",
          "created_at",
          "currency",
          "total_price",
          "financial_status",
          "customer",
          "line_items",
          "refunds",
          "cancelled_at",
          "amount",
          "amount_total",
          "created",
          "paid",
          "status",
          "billing_details",
          "customer_details",
          "payment_status",
          "receipt_email",
          "metadata",
          "__proto__",
        ),
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom("59.00", "-1", "1e309", "2026-11-20T10:00:00-05:00", 5900, null),
        ),
        { maxKeys: 10 },
      );
      fc.assert(
        fc.property(payload, (p) => {
          const row = p as Record<string, unknown>;
          readsOrRefuses(() => orderRow(fromWebhook(row), null));
          readsOrRefuses(() => paymentRow(fromCharge(row), null, Date.parse("2026-11-23T08:30:00Z")));
          readsOrRefuses(() => {
            const session = fromSession({
              ...row,
              mode: "payment",
              payment_status: "paid",
              payment_intent: row["id"] ?? "pi_1",
            });
            return session && paymentRow(session, null, Date.parse("2026-11-23T08:30:00Z"));
          });
        }),
        fuzzOptions(SECONDS),
      );
    },
    fuzzTimeout(SECONDS),
  );

  it(
    "reads or refuses command text as people type it",
    () => {
      const examples = [
        "kpi revenue last 7 days by channel",
        "segment create vips where orders >= 3",
        "alert revenue drops 20% day over day",
      ];
      fc.assert(
        fc.property(commandText(examples), (t) => readsOrRefuses(() => parseKpiQuestion(t, TODAY))),
        fuzzOptions(SECONDS),
      );
    },
    fuzzTimeout(SECONDS),
  );
});
