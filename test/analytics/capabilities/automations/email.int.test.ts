import { type ChildProcess, spawn } from "node:child_process";
import { createHash, createVerify, generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { automationsApi } from "../../../../analytics/capabilities/automations/index.ts";
import type { Notifier } from "../../../../analytics/platform/delivery/notifier.ts";
import type { Report } from "../../../../analytics/platform/reports/report.ts";
import { createApi } from "../../../../api/app.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";
import { LoopbackSmtp } from "../../../support/smtp.ts";

/*
 * Automations' email against a real SMTP server on loopback (smtp-server), every message
 * parsed back with mailparser: headers, merge fields, at most once (also after a kill -9
 * between claim and the server's answer), caps and quiet hours on a fake clock across a DST
 * change, one-click unsubscribe, approval above the threshold, a refused recipient, and the
 * server down then back.
 */

const KEY = Buffer.alloc(32, 7).toString("base64");
const MINUTE = 60_000;
let t: TestDb;
let smtp: LoopbackSmtp;
let now = Date.parse("2026-11-24T15:00:00Z");
let child: ChildProcess | null = null;

afterEach(async () => {
  child?.kill("SIGKILL");
  child = null;
  automationsApi.of(t.platform).core.close();
  await smtp?.stop();
  t?.cleanup();
});

class RecordingNotifier implements Notifier {
  readonly delivered: { destination: string; report: Report }[] = [];
  async deliver(destination: string, report: Report) {
    this.delivered.push({ destination, report });
    return { ref: String(this.delivered.length) };
  }
  async wasDelivered() {
    return null;
  }
}

async function setUp(env: Record<string, string> = {}, auth?: { user: string; pass: string }) {
  smtp = await new LoopbackSmtp(auth).start();
  now = Date.parse("2026-11-24T15:00:00Z");
  const settings = {
    SMTP_URL: auth ? `smtp://${auth.user}:${encodeURIComponent(auth.pass)}@127.0.0.1:${smtp.port}` : smtp.url,
    LIFT_PUBLIC_URL: "https://lift.example.com",
    LIFT_HASH_KEY: KEY,
    LIFT_QUIET_HOURS: "off",
    ...env,
  };
  t = emptyDb({ now: () => now, timeZone: "UTC", env: settings });
  return settings;
}

const ask = (text: string, userId = "U0ADMIN") =>
  t.platform.registries.commands.run(text, { userId, channelId: "C0OWNER" });

async function customers(rows: Record<string, unknown>[]) {
  const result = await t.platform.ingest.write(
    "customers",
    rows.map((r) => ({ accepts_marketing: true, plan: "pro", updated_at: "2026-11-01T00:00:00Z", ...r })),
  );
  expect(result.rejected).toEqual([]);
  // Segments are of customers with an order.
  const orders = await t.platform.ingest.write(
    "orders",
    rows.map((r) => ({
      id: `o-${r["id"]}`,
      customer_id: r["id"],
      amount: "20.00",
      timestamp: "2026-01-05T12:00:00Z",
    })),
  );
  expect(orders.rejected).toEqual([]);
  await ask('segment create testers where plan = "pro"');
}

async function live(definition: string) {
  await ask(`automation create test ${definition}`);
  await ask("automation start test");
}

/** A header as it was sent (mailparser reads List-* headers into objects). */
const header = (message: { headerLines: readonly { key: string; line: string }[] }, name: string) =>
  message.headerLines
    .find((h) => h.key === name)
    ?.line.replace(/^[^:]+:\s*/, "")
    .replace(/\r?\n\s+/g, " ");

const pass = (notifier: Notifier | null = null) => automationsApi.of(t.platform).runNow(notifier, now);
const sends = () =>
  // Sealed at rest: read as the outbox reads them.
  t.db.sqlite
    .prepare(
      "SELECT *, lift_open(recipient) AS recipient, lift_open(subject) AS subject, lift_open(body) AS body, lift_open(html) AS html FROM automation_sends ORDER BY id",
    )
    .all() as Record<string, unknown>[];

describe("automation email over SMTP", () => {
  it("sends one message per customer and step with List-Unsubscribe one-click, its Message-ID and merge fields escaped", async () => {
    await setUp();
    await customers([
      { id: "c1", email: "ana@example.com", first_name: "<b>Ana</b> & Co" },
      { id: "c2", email: "ben@example.com", first_name: "Ben" },
      { id: "c3", email: "cy@example.com", first_name: "Cy", accepts_marketing: false },
    ]);
    await live('when customer enters segment "testers" including current members send email win-back-1');
    const first = await pass();
    expect(first.tally).toMatchObject({ sent: 2, skipped: 1 });
    await pass();
    now += 10 * MINUTE;
    await pass();
    expect(smtp.messages).toHaveLength(2);
    const ana = smtp.messages.find((m) => m.to && JSON.stringify(m.to).includes("ana@example.com"))!;
    const unsubscribe = header(ana, "list-unsubscribe")!;
    expect(unsubscribe).toMatch(
      /^<https:\/\/lift\.example\.com\/v1\/unsubscribe\/u[0-9a-z]+\.0\.[A-Za-z0-9_-]{22}>$/,
    );
    expect(header(ana, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const row = sends().find((s) => s["recipient"] === "ana@example.com")!;
    expect(ana.messageId).toBe(row["message_id"]);
    expect(ana.subject).toBe("<b>Ana</b> & Co, we saved something for you");
    expect(ana.html).toContain("Hi &lt;b&gt;Ana&lt;/b&gt; &amp; Co,");
    expect(ana.html).not.toContain("<b>Ana</b>");
    expect(ana.text).toContain("Hi <b>Ana</b> & Co,");
    // Links go through Lift's signed redirect, which goes where the template pointed.
    const link = /href="(https:\/\/lift\.example\.com\/v1\/r\/[^"]+)"/
      .exec(ana.html as string)![1]!
      .replace(/&amp;/g, "&");
    const api = createApi(t.core);
    const click = await api.request(link.replace("https://lift.example.com", "http://localhost"));
    expect(click.status).toBe(302);
    expect(click.headers.get("location")).toBe(
      "https://shop.example.com/new?utm_source=lift&utm_medium=email&utm_campaign=win-back",
    );
    const forged = await api.request(
      link
        .replace("https://lift.example.com", "http://localhost")
        .replace(/u=[^&]+/, "u=https%3A%2F%2Fevil.example"),
    );
    expect(forged.status).toBe(404);
    const report = await ask("automation test");
    expect(report.data).toMatchObject({ schema: "automation/1", clicked: 1, sends: { sent: 2, skipped: 1 } });
    expect(report.details!.join("\n")).toContain("has not accepted marketing");
  });

  it("upgrades to TLS with STARTTLS and logs in when the server asks, as a real relay does", async () => {
    await setUp({}, { user: "lift", pass: "p@ss word" });
    await customers([{ id: "c1", email: "ana@example.com" }]);
    await live('when customer enters segment "testers" including current members send email win-back-1');
    expect((await pass()).tally.sent).toBe(1);
    expect(smtp.sessions).toEqual([{ secure: true, user: "lift" }]);
  });

  it("signs with DKIM when a key is set, covering List-Unsubscribe and List-Unsubscribe-Post (verified here by RFC 6376's relaxed canonicalisation)", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    await setUp({
      LIFT_DKIM_DOMAIN: "example.com",
      LIFT_DKIM_SELECTOR: "lift",
      LIFT_DKIM_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString().replace(/\n/g, "\\n"),
    });
    await customers([{ id: "c1", email: "ana@example.com" }]);
    await live('when customer enters segment "testers" including current members send email win-back-1');
    await pass();
    const raw = smtp.raw[0]!.replace(/\r?\n/g, "\r\n");
    const split = raw.indexOf("\r\n\r\n");
    const headerLines = raw.slice(0, split).split(/\r\n(?![ \t])/);
    const body = raw.slice(split + 4);
    const relaxed = (line: string) => {
      const colon = line.indexOf(":");
      return `${line.slice(0, colon).trim().toLowerCase()}:${line
        .slice(colon + 1)
        .replace(/\r\n/g, "")
        .replace(/[ \t]+/g, " ")
        .trim()}`;
    };
    const signature = headerLines.find((l) => /^dkim-signature:/i.test(l))!;
    const tags = Object.fromEntries(
      relaxed(signature)
        .slice("dkim-signature:".length)
        .split(";")
        .map((t) => t.trim())
        .filter((t) => t)
        .map((t) => [t.slice(0, t.indexOf("=")), t.slice(t.indexOf("=") + 1).replace(/\s+/g, "")]),
    ) as Record<string, string>;
    expect(tags).toMatchObject({ d: "example.com", s: "lift", a: "rsa-sha256" });
    const signed = tags["h"]!.toLowerCase().split(":");
    expect(signed).toEqual(
      expect.arrayContaining(["list-unsubscribe", "list-unsubscribe-post", "from", "subject"]),
    );
    // The body hash: trailing whitespace and runs of it reduced, trailing empty lines dropped.
    const canonicalBody = `${body
      .split("\r\n")
      .map((l) => l.replace(/[ \t]+/g, " ").replace(/ $/, ""))
      .join("\r\n")
      .replace(/(\r\n)*$/, "")}\r\n`;
    expect(createHash("sha256").update(canonicalBody).digest("base64")).toBe(tags["bh"]);
    // The signature over the signed headers, in h= order, then the signature header with b= empty.
    const used = new Set<number>();
    const fields = signed.map((name) => {
      for (let i = headerLines.length - 1; i >= 0; i--)
        if (!used.has(i) && headerLines[i]!.toLowerCase().startsWith(`${name}:`)) {
          used.add(i);
          return `${relaxed(headerLines[i]!)}\r\n`;
        }
      return "";
    });
    const unsigned = relaxed(signature).replace(/b=[^;]*$/, "b=");
    const verify = createVerify("RSA-SHA256");
    verify.update(fields.join("") + unsigned);
    expect(verify.verify(publicKey, tags["b"]!, "base64")).toBe(true);
  });

  it("unsubscribes on the one-click POST (the GET only asks), and sends that address no more marketing mail", async () => {
    await setUp();
    await customers([{ id: "c1", email: "ana@example.com" }]);
    await live(
      'when customer enters segment "testers" including current members send email win-back-1, wait 1 day, send email win-back-2',
    );
    await pass();
    expect(smtp.messages).toHaveLength(1);
    const url = new URL(header(smtp.messages[0]!, "list-unsubscribe")!.slice(1, -1));
    const api = createApi(t.core);
    const page = await api.request(url.pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("a••@example.com");
    expect(t.db.sqlite.prepare("SELECT count(*) AS n FROM suppressions").get()).toEqual({ n: 0 });
    // A body far past what a one-click POST carries is refused, whatever it claims to be, and changes nothing.
    const huge = await api.request(url.pathname, { method: "POST", body: "x".repeat(100_000) });
    expect(huge.status).toBe(413);
    expect(t.db.sqlite.prepare("SELECT count(*) AS n FROM suppressions").get()).toEqual({ n: 0 });
    const post = await api.request(url.pathname, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(post.status).toBe(200);
    // The list holds a keyed hash, never the address.
    const stored = t.db.sqlite.prepare("SELECT hash, reason FROM suppressions").all() as {
      hash: string;
      reason: string;
    }[];
    expect(stored).toHaveLength(1);
    expect(stored[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]!.reason).toBe("unsubscribed");
    now += 25 * 60 * MINUTE;
    await pass();
    expect(smtp.messages).toHaveLength(1);
    expect(sends().map((s) => s["status"])).toEqual(["sent", "skipped"]);
    expect((await ask("automation test")).data).toMatchObject({ unsubscribed: 1 });
    const tampered = await api.request(`${url.pathname.slice(0, -3)}abc`, {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
    });
    expect(tampered.status).toBe(404);
  });

  it("defers marketing mail past quiet hours in the customer's zone across the spring DST change, and past the weekly cap", async () => {
    await setUp({ LIFT_QUIET_HOURS: "21:00-08:00", LIFT_EMAIL_CAP: "2" });
    await customers([{ id: "c1", email: "ana@example.com", timezone: "America/New_York" }]);
    // 00:30 in New York on the night clocks go forward (2026-03-08, 02:00 EST → 03:00 EDT).
    now = Date.parse("2026-03-08T05:30:00Z");
    await live(
      'when customer enters segment "testers" including current members send email win-back-1, send email welcome, send email vip-thanks',
    );
    const first = await pass();
    expect(first.tally.deferred).toBe(3);
    // 08:00 EDT is 12:00 UTC (it would be 13:00 UTC under EST).
    now = Date.parse("2026-03-08T11:59:00Z");
    await pass();
    expect(smtp.messages).toHaveLength(0);
    now = Date.parse("2026-03-08T12:00:00Z");
    const morning = await pass();
    expect(morning.tally).toMatchObject({ sent: 2, deferred: 1 });
    // The third waits until the first of the two leaves the 7-day window.
    const third = sends().find((s) => s["status"] === "queued")!;
    expect(third["due_at"]).toBe(Date.parse("2026-03-15T12:00:00Z"));
    expect(third["reason"]).toMatch(/cap of 2 a week/);
    now = Date.parse("2026-03-15T12:00:00Z");
    await pass();
    expect(smtp.messages.map((m) => m.subject)).toHaveLength(3);
  });

  it("waits for an admin's approval above the threshold, then sends", async () => {
    await setUp({ LIFT_APPROVAL_THRESHOLD: "3" });
    await customers(["a", "b", "c", "d", "e"].map((x) => ({ id: `c-${x}`, email: `${x}@example.com` })));
    await live('when customer enters segment "testers" including current members send email win-back-1');
    const notifier = new RecordingNotifier();
    await pass(notifier);
    expect(smtp.messages).toHaveLength(0);
    const approval = notifier.delivered.find((d) => d.report.kind === "automation-approval")!;
    expect(approval.destination).toBe("C0OWNER");
    expect(approval.report.actions.map((a) => a.command)).toEqual([
      "automation approve test",
      "automation reject test",
      "automation preview test",
    ]);
    expect(approval.report.details![0]).toBe(
      "5 waiting, 5 with an email address, 5 accept marketing, 0 suppressed: 5 would get marketing mail",
    );
    const preview = await ask("automation preview test");
    expect(preview.summary).toMatch(/^5 waiting for approval/);
    const home = await t.core.home("U0ADMIN");
    expect(home.find((r) => r.title === "Automations need you")?.summary).toBe(
      "test: 5 customers wait for an admin's approval.",
    );
    await pass(notifier);
    expect(smtp.messages).toHaveLength(0);
    await ask("automation approve test");
    await pass(notifier);
    expect(smtp.messages).toHaveLength(5);
    const audit = t.db.sqlite
      .prepare("SELECT actor, action FROM audit_log WHERE action LIKE 'automation.%' ORDER BY id")
      .all();
    expect(audit).toEqual([
      { actor: "U0ADMIN", action: "automation.create" },
      { actor: "U0ADMIN", action: "automation.start" },
      { actor: "U0ADMIN", action: "automation.approve" },
    ]);
  });

  it("marks a recipient the server refuses for good, retries one it refuses for now, and shows both in the report", async () => {
    await setUp();
    await customers([
      { id: "c1", email: "gone@example.com" },
      { id: "c2", email: "busy@example.com" },
      { id: "c3", email: "ok@example.com" },
    ]);
    smtp.refuse.set("gone@example.com", 550);
    smtp.refuse.set("busy@example.com", 450);
    await live('when customer enters segment "testers" including current members send email win-back-1');
    const first = await pass();
    expect(first.tally).toMatchObject({ sent: 1, failed: 1, retried: 1 });
    const report = await ask("automation test");
    expect(report.details!.join("\n")).toMatch(/1 failed: refused by the mail server: .*550/);
    // The server's words are shown to anyone who asks: its addresses masked.
    expect(report.details!.join("\n")).not.toContain("gone@example.com");
    // The retry comes after its backoff (a minute), and goes once the server takes it.
    smtp.refuse.delete("busy@example.com");
    await pass();
    expect(smtp.messages).toHaveLength(1);
    now += MINUTE;
    await pass();
    expect(smtp.messages.map((m) => JSON.stringify(m.to))).toEqual([
      expect.stringContaining("ok@example.com"),
      expect.stringContaining("busy@example.com"),
    ]);
    // The refused address is suppressed: a later automation skips it.
    expect(t.db.sqlite.prepare("SELECT reason FROM suppressions").all()).toEqual([{ reason: "bounced" }]);
  });

  it("keeps the queue when the server is down, tells the owner once, and sends when it is back", async () => {
    await setUp();
    await customers([
      { id: "c1", email: "ana@example.com" },
      { id: "c2", email: "ben@example.com" },
    ]);
    await smtp.stop();
    await live('when customer enters segment "testers" including current members send email win-back-1');
    const notifier = new RecordingNotifier();
    await pass(notifier);
    now += MINUTE;
    await pass(notifier);
    expect(sends().map((s) => s["status"])).toEqual(["queued", "queued"]);
    const told = notifier.delivered.filter((d) => d.report.kind === "automation-notice");
    expect(told.map((d) => d.report.title)).toEqual(["Sending paused: test"]);
    expect((await ask("automation test")).warnings.join("\n")).toMatch(
      /Sending is paused since .*cannot be reached/,
    );
    await smtp.start();
    now += MINUTE;
    automationsApi.of(t.platform).core.close();
    await pass(notifier);
    expect(smtp.messages).toHaveLength(2);
    expect(
      notifier.delivered.filter((d) => d.report.kind === "automation-notice").map((d) => d.report.title),
    ).toEqual(["Sending paused: test", "Sending resumed: test"]);
  });

  it("sends each message once when two processes run passes over the same database at the same time", async () => {
    const env = await setUp();
    await customers(Array.from({ length: 120 }, (_, i) => ({ id: `c${i}`, email: `p${i}@example.com` })));
    await live('when customer enters segment "testers" including current members send email win-back-1');
    const run = (at: number) =>
      new Promise<void>((resolve, reject) => {
        const proc = spawn(
          process.execPath,
          ["--import", "tsx", "test/support/automation-process.ts", t.path, String(at), JSON.stringify(env)],
          {
            cwd: process.cwd(),
            stdio: "ignore",
          },
        );
        proc.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
      });
    // Two scheduled minutes, so each process runs its own pass (the job runs once per minute across processes).
    await Promise.all([run(now), run(now + MINUTE)]);
    expect(smtp.messages).toHaveLength(120);
    expect(new Set(smtp.messages.map((m) => JSON.stringify(m.to))).size).toBe(120);
    expect(
      t.db.sqlite.prepare("SELECT status, count(*) AS n FROM automation_sends GROUP BY status").all(),
    ).toEqual([{ status: "sent", n: 120 }]);
  });

  it("never resends a message whose process was killed (kill -9) between claim and the server's answer: it is shown as unclear", async () => {
    const env = await setUp();
    await customers([{ id: "c1", email: "ana@example.com" }]);
    await live('when customer enters segment "testers" including current members send email win-back-1');
    smtp.stall = true;
    child = spawn(
      process.execPath,
      ["--import", "tsx", "test/support/automation-process.ts", t.path, String(now), JSON.stringify(env)],
      {
        cwd: process.cwd(),
        stdio: "pipe",
      },
    );
    for (let i = 0; i < 300 && smtp.raw.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(smtp.raw).toHaveLength(1);
    child.kill("SIGKILL");
    await new Promise((resolve) => child!.once("exit", resolve));
    child = null;
    expect(sends().map((s) => s["status"])).toEqual(["claimed"]);
    smtp.stall = false;
    now += 5 * MINUTE;
    await pass();
    expect(sends().map((s) => s["status"])).toEqual(["claimed"]);
    now += 6 * MINUTE;
    const later = await pass();
    expect(later.tally.unclear).toBe(1);
    now += 60 * MINUTE;
    await pass();
    expect(sends().map((s) => s["status"])).toEqual(["unclear"]);
    expect(smtp.raw).toHaveLength(1);
    const report = await ask("automation test");
    expect(report.warnings.join("\n")).toContain("1 sends are unclear");
  });
});
