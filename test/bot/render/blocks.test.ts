import { describe, expect, it } from "vitest";
import type { Report } from "../../../analytics/platform/reports/report.ts";
import { LIMITS, renderBlocks } from "../../../bot/render/blocks.ts";
import { renderHtml } from "../../../bot/render/html.ts";

const base: Report = {
  kind: "kpi",
  title: "Revenue · Last 30 days by channel",
  summary: "Revenue was $17,066.02 (Oct 25 – Nov 23, 2026), down 3.3% on the previous 30 days.",
  period: {
    label: "Last 30 days",
    from: "2026-10-25",
    to: "2026-11-23",
    timeZone: "Europe/Berlin",
    partial: false,
    comparison: { label: "the previous 30 days", from: "2026-09-25", to: "2026-10-24" },
  },
  freshness: { text: "Data as of 09:30 Europe/Berlin · events received 3 min ago", stale: false, asOf: 0 },
  facts: [
    {
      label: "Revenue",
      value: "$17,066.02",
      change: { text: "−3.3%", direction: "down", tone: "bad" },
      note: "$17,639.39 the previous 30 days",
    },
    { label: "Orders", value: "204" },
  ],
  table: {
    columns: [
      { key: "channel", label: "Channel", format: "text" },
      { key: "revenue", label: "Revenue", format: "money" },
    ],
    rows: [
      ["Organic", 473350],
      ["Paid search", 395227],
    ],
    totals: ["Total", 868577],
    currency: "USD",
  },
  charts: [],
  actions: [{ id: "by_day", label: "Daily trend", command: "kpi revenue last 30 days by day" }],
  warnings: ["Spend stops after Nov 21, 2026."],
};

/** Every limit Slack enforces on a message, checked block by block. */
function expectWithinLimits(blocks: Record<string, unknown>[]) {
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  for (const block of blocks) {
    const text = (block["text"] as { text?: string } | undefined)?.text;
    if (block["type"] === "header") expect([...text!].length).toBeLessThanOrEqual(LIMITS.header);
    else if (text !== undefined) expect([...text].length).toBeLessThanOrEqual(LIMITS.sectionText);
    const fields = block["fields"] as { text: string }[] | undefined;
    if (fields) {
      expect(fields.length).toBeLessThanOrEqual(LIMITS.fields);
      for (const field of fields) expect([...field.text].length).toBeLessThanOrEqual(LIMITS.fieldText);
    }
    const elements = block["elements"] as { text?: { text: string }; value?: string }[] | undefined;
    if (block["type"] === "actions") {
      expect(elements!.length).toBeLessThanOrEqual(LIMITS.actions);
      for (const button of elements!) {
        expect([...button.text!.text].length).toBeLessThanOrEqual(LIMITS.buttonText);
        expect(button.value!.length).toBeLessThanOrEqual(LIMITS.buttonValue);
      }
    }
  }
}

describe("Block Kit rendering", () => {
  it("lays out header, summary, facts, table, warnings, context and buttons", () => {
    const message = renderBlocks(base);
    expect(message.blocks.map((b) => b["type"])).toEqual([
      "header",
      "section",
      "section",
      "section",
      "section",
      "context",
      "actions",
    ]);
    expect((message.blocks[2]!["fields"] as { text: string }[])[0]!.text).toBe(
      "*Revenue*\n$17,066.02 ▼ −3.3%\n_$17,639.39 the previous 30 days_",
    );
    expect((message.blocks[3]!["text"] as { text: string }).text).toBe(
      [
        "```",
        "Channel        Revenue",
        "Organic      $4,733.50",
        "Paid search  $3,952.27",
        "Total        $8,685.77",
        "```",
      ].join("\n"),
    );
    expect((message.blocks[5]!["elements"] as { text: string }[])[0]!.text).toBe(
      "Oct 25 – Nov 23, 2026 (Europe/Berlin) · vs Sep 25 – Oct 24, 2026 · Data as of 09:30 Europe/Berlin · events received 3 min ago",
    );
    expect(message.truncated).toBe(false);
    expect(message.followUp).toBeNull();
  });

  it("carries the key numbers in the fallback text, so the message reads without blocks or image", () => {
    expect(renderBlocks(base).text).toBe(
      "Revenue · Last 30 days by channel: Revenue was $17,066.02 (Oct 25 – Nov 23, 2026), down 3.3% on the previous 30 days. Revenue $17,066.02 (−3.3%) · Orders 204",
    );
  });

  it("keeps a report with too many parts under 50 blocks and sends the whole answer to the thread", () => {
    const long: Report = {
      ...base,
      facts: Array.from({ length: 600 }, (_, i) => ({ label: `Metric ${i}`, value: "1" })),
      table: { ...base.table!, rows: Array.from({ length: 500 }, (_, i) => [`Campaign ${i}`, i * 100]) },
    };
    const message = renderBlocks(long);
    expectWithinLimits(message.blocks);
    expect(message.truncated).toBe(true);
    expect(message.followUp).toContain("Campaign 499");
    expect(message.followUp).toContain("Metric 599");
    expect(message.blocks.at(-2)!["type"]).toBe("context");
    expect(message.blocks.at(-1)!["type"]).toBe("actions");
    expect(JSON.stringify(message.blocks)).toContain("_More in the thread._");
  });

  it("cuts texts that are too long for their block, and too many buttons", () => {
    const wide: Report = {
      ...base,
      title: "T".repeat(400),
      summary: "S".repeat(5000),
      facts: Array.from({ length: 11 }, (_, i) => ({ label: `Metric ${i}`, value: "x".repeat(2500) })),
      table: { ...base.table!, rows: Array.from({ length: 500 }, (_, i) => [`Campaign ${i}`, i * 100]) },
      actions: Array.from({ length: 40 }, (_, i) => ({
        id: `a${i}`,
        label: "L".repeat(100),
        command: "c".repeat(3000),
      })),
    };
    const message = renderBlocks(wide);
    expectWithinLimits(message.blocks);
    expect(message.truncated).toBe(true);
    expect(JSON.stringify(message.blocks)).toContain("more rows in the thread");
    expect((message.blocks[0]!["text"] as { text: string }).text).toMatch(/^T{149}…$/);
  });

  it("escapes Slack's control characters in data", () => {
    const message = renderBlocks({ ...base, summary: "Campaign <!channel> & <@U123>" });
    expect((message.blocks[1]!["text"] as { text: string }).text).toBe(
      "Campaign &lt;!channel&gt; &amp; &lt;@U123&gt;",
    );
  });

  it("shows an uploaded chart through an image block with its slack_file", () => {
    const message = renderBlocks(base, { chart: { slackFileId: "F123", alt: "Revenue by channel" } });
    expect(message.blocks.find((b) => b["type"] === "image")).toEqual({
      type: "image",
      slack_file: { id: "F123" },
      alt_text: "Revenue by channel",
    });
  });
});

describe("HTML rendering", () => {
  it("escapes everything that comes from data", () => {
    const html = renderHtml({
      ...base,
      title: '<script>alert("x")</script>',
      facts: [{ label: "a&b", value: "<b>1</b>" }],
    });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("<dt>a&amp;b</dt><dd>&lt;b&gt;1&lt;/b&gt;</dd>");
  });

  it("renders the table with totals, numbers aligned, charts, warnings, context and actions", () => {
    const html = renderHtml(base, { chartUrls: ["/charts/1.png"] });
    // Each cell carries its column's name: a phone shows each row as a card of labelled cells.
    expect(html).toContain('<td class="num" data-label="Revenue">$4,733.50</td>');
    expect(html).toContain(
      '<tfoot><tr><td data-label="Channel">Total</td><td class="num" data-label="Revenue">$8,685.77</td></tr></tfoot>',
    );
    expect(html).toContain("<li>Spend stops after Nov 21, 2026.</li>");
    expect(html).toContain(
      '<button type="button" data-command="kpi revenue last 30 days by day">Daily trend</button>',
    );
    expect(html).toContain('<p class="context">Oct 25 – Nov 23, 2026 (Europe/Berlin)');
  });
});

describe("channel references", () => {
  it("links channels Lift names, in Block Kit only, while data stays escaped", async () => {
    const { channelRef } = await import("../../../analytics/platform/reports/refs.ts");
    const { renderText } = await import("../../../bot/render/text.ts");
    const report = {
      kind: "confirmation",
      title: "Subscribed",
      summary: `Posted in ${channelRef("C0MKT")}; a campaign named <#C0EVIL> stays text, and so does ⟨#C999⟩.`,
      facts: [],
      charts: [],
      actions: [],
      warnings: [],
    };
    const block = renderBlocks(report).blocks[1] as unknown as { text: { text: string } };
    expect(block.text.text).toBe(
      "Posted in <#C0MKT>; a campaign named &lt;#C0EVIL&gt; stays text, and so does ⟨#C999⟩.",
    );
    expect(renderText(report)).toContain("Posted in #C0MKT;");
  });
});

describe("quotes and actions", () => {
  const quoted: Report = {
    ...base,
    quotes: [
      {
        url: "https://mastodon.example/@ana/1",
        text: "@ana on Mastodon",
        excerpt: "Parcel is <two weeks> late & no reply",
        at: 0,
      },
      { url: "javascript:alert(1)", text: "a link that is not one", excerpt: "hi" },
    ],
    actions: [
      {
        id: "ship",
        label: "Ship B",
        command: "experiment ship checkout-cta B",
        style: "primary",
        confirm: {
          title: "Ship B?",
          text: "Marks the experiment shipped.",
          confirm: "Ship B",
          deny: "Cancel",
        },
        answerId: "abc123def456",
      },
    ],
  };

  it("quotes posts as Slack links with the excerpt escaped, and only http(s) links are links", () => {
    const { blocks } = renderBlocks(quoted);
    const text = JSON.stringify(blocks);
    expect(text).toContain(
      "> Parcel is &lt;two weeks&gt; late &amp; no reply\\n— <https://mastodon.example/@ana/1|@ana on Mastodon>",
    );
    expect(text).toContain("— a link that is not one");
    expect(text).not.toContain("javascript:");
  });

  it("quotes posts as HTML links and blockquotes", () => {
    const html = renderHtml(quoted);
    expect(html).toContain(
      '<blockquote>Parcel is &lt;two weeks&gt; late &amp; no reply<cite><a href="https://mastodon.example/@ana/1" rel="noopener noreferrer" target="_blank">@ana on Mastodon</a></cite></blockquote>',
    );
    expect(html).not.toContain('href="javascript:');
  });

  it("gives a button its style, Slack's confirm dialog, and the stored answer it was shown under", () => {
    const buttons = renderBlocks(quoted).blocks.find((b) => b.type === "actions")!["elements"] as Record<
      string,
      unknown
    >[];
    expect(buttons[0]).toMatchObject({
      action_id: "run_command_ship",
      style: "primary",
      value: JSON.stringify({ command: "experiment ship checkout-cta B", answer: "abc123def456" }),
      confirm: {
        title: { type: "plain_text", text: "Ship B?" },
        text: { type: "plain_text", text: "Marks the experiment shipped." },
        confirm: { type: "plain_text", text: "Ship B" },
        deny: { type: "plain_text", text: "Cancel" },
      },
    });
    // In the console, the confirm step comes from the button's data.
    expect(renderHtml(quoted)).toContain(
      '<button type="button" class="primary" data-command="experiment ship checkout-cta B" data-confirm-title="Ship B?" data-confirm="Marks the experiment shipped." data-confirm-yes="Ship B" data-confirm-no="Cancel">Ship B</button>',
    );
  });

  it("colours a change column by whether the move is good news", () => {
    const html = renderHtml({
      ...base,
      table: {
        columns: [
          { key: "c", label: "Campaign", format: "text" },
          { key: "cpa", label: "CPA vs before", format: "change", better: "down" },
        ],
        rows: [
          ["A", 0.2],
          ["B", -0.1],
        ],
      },
    });
    expect(html).toContain('<td class="num change-cell bad" data-label="CPA vs before">+20.0%</td>');
    expect(html).toContain('<td class="num change-cell good" data-label="CPA vs before">−10.0%</td>');
  });
});
