import { describe, expect, it } from "vitest";
import { DEMO_TEMPLATES } from "../../../../analytics/capabilities/automations/library.ts";
import { readTemplateFile } from "../../../../analytics/capabilities/automations/template-store.ts";
import { checkTemplate, renderTemplate } from "../../../../analytics/capabilities/automations/templates.ts";

const template = {
  name: "t",
  subject: "Hi {{first_name|there}}",
  body: "Dear {{name}} <friend>,\n\nYour plan: {{traits.plan|free}}. [Open](https://shop.example.com/?a=1&b=2)\n\nBye",
  kind: "marketing" as const,
};

describe("email templates", () => {
  it("escapes merged values and the template's own words in HTML, keeps them as written in text, and uses defaults", () => {
    const out = renderTemplate(
      template,
      { email: "x@example.com", customer_id: "c1", name: "<script>alert(1)</script>", traits: {} },
      { unsubscribeUrl: "https://lift.example.com/v1/unsubscribe/t" },
    );
    expect(out.subject).toBe("Hi there");
    expect(out.html).toContain("Dear &lt;script&gt;alert(1)&lt;/script&gt; &lt;friend&gt;,");
    expect(out.html).not.toContain("<script>");
    expect(out.html).toContain('<a href="https://shop.example.com/?a=1&amp;b=2">Open</a>');
    expect(out.text).toContain("Dear <script>alert(1)</script> <friend>,");
    expect(out.text).toContain("Your plan: free. Open (https://shop.example.com/?a=1&b=2)");
    expect(out.text).toContain("Unsubscribe: https://lift.example.com/v1/unsubscribe/t");
    expect(out.links).toEqual(["https://shop.example.com/?a=1&b=2"]);
  });

  it("never makes a merged value into a link, and rewrites the template's links for click tracking", () => {
    const out = renderTemplate(
      { ...template, body: "{{name}} [Go](https://a.example.com)" },
      { email: "x@example.com", customer_id: "c1", name: "[evil](https://evil.example)", traits: {} },
      { unsubscribeUrl: null, link: (_url, i) => `https://lift.example.com/v1/r/${i}` },
    );
    expect(out.html).toBe(
      '<!doctype html><html><body style="font-family:sans-serif;max-width:600px"><p>[evil](https://evil.example) <a href="https://lift.example.com/v1/r/0">Go</a></p></body></html>',
    );
    expect(out.text).not.toContain("Unsubscribe");
  });

  it("refuses a field Lift cannot fill, a link that is no URL and a two-line subject", () => {
    expect(() => checkTemplate({ ...template, body: "Hi {{favourite_colour}}" })).toThrow(
      /Lift does not know/,
    );
    expect(() => checkTemplate({ ...template, body: "[x](javascript:alert(1))" })).toThrow(
      /not an http\(s\) URL/,
    );
    expect(() => checkTemplate({ ...template, subject: "a\nBcc: x@example.com" })).toThrow(/one line/);
    for (const t of DEMO_TEMPLATES) expect(() => checkTemplate(t)).not.toThrow();
  });

  it("reads a template file's header lines, or its first line as the subject", () => {
    expect(readTemplateFile("Subject: Hello {{first_name}}\nKind: transactional\n\nBody here\n")).toEqual({
      subject: "Hello {{first_name}}",
      body: "Body here\n",
      fromAddress: null,
      replyTo: null,
      kind: "transactional",
    });
    expect(readTemplateFile("A subject\n\nThe body")).toMatchObject({
      subject: "A subject",
      body: "The body",
      kind: "marketing",
    });
  });
});
