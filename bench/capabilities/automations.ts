import { spawn } from "node:child_process";
import nodemailer from "nodemailer";
import { automationsApi } from "../../analytics/capabilities/automations/index.ts";
import { DEMO_TEMPLATES } from "../../analytics/capabilities/automations/library.ts";
import { noDelaySocket } from "../../analytics/capabilities/automations/mailer.ts";
import { renderTemplate } from "../../analytics/capabilities/automations/templates.ts";
import { Platform } from "../../analytics/platform/platform.ts";
import type { BenchEntry } from "../common.ts";
import { BENCH_NOW, benchDeps, seedBuyers } from "../common.ts";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The SMTP sink in a process of its own (bench/smtp-sink.ts): its port, and how to stop it. */
async function smtpSink(): Promise<{ port: number; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/smtp-sink.ts"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(Number(String(chunk).trim())));
    child.once("error", reject);
  });
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}

/**
 * The benchmark: N customers enter a segment (one pass enrols them, queues the first
 * email and delivers it to a loopback SMTP server in a process of its own, with the consent, suppression and weekly
 * cap checks on) against the same messages — rendered from the same template — sent by bare
 * nodemailer on one connection. Goal: Lift's messages/s ≥ 0.8 of bare nodemailer's.
 */
export const automationsBench: BenchEntry = {
  name: "automations",
  async run(context) {
    const n = context.quick ? 10_000 : 100_000;
    const smtp = await smtpSink();
    const template = DEMO_TEMPLATES.find((t) => t.name === "win-back-1")!;

    // Bare: the same messages on one pooled connection, all handed to nodemailer at once, with
    // Nagle's algorithm off as Lift has it (nodemailer's default waits 40 ms a message for the
    // server's delayed ACK, which would flatter Lift a hundredfold).
    const bare = nodemailer.createTransport({
      pool: true,
      maxConnections: 1,
      maxMessages: Number.POSITIVE_INFINITY,
      host: "127.0.0.1",
      port: smtp.port,
      secure: false,
      getSocket: noDelaySocket(),
    } as Parameters<typeof nodemailer.createTransport>[0]);
    const bareStart = performance.now();
    await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const r = renderTemplate(
          template,
          { email: `c${i}@example.com`, customer_id: `c${i}`, first_name: "Alex", traits: {} },
          { unsubscribeUrl: `https://lift.example.com/v1/unsubscribe/u${i}` },
        );
        return bare.sendMail({
          from: "Lift <lift@example.com>",
          to: `c${i}@example.com`,
          subject: r.subject,
          text: r.text,
          html: r.html,
        });
      }),
    );
    const bareSeconds = (performance.now() - bareStart) / 1000;
    bare.close();

    // Lift: customers with consent and an order each, a segment of all of them, one automation.
    const env = {
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      LIFT_PUBLIC_URL: "https://lift.example.com",
      LIFT_QUIET_HOURS: "off",
      LIFT_APPROVAL_THRESHOLD: String(n * 2),
      LIFT_HASH_KEY: Buffer.alloc(32, 3).toString("base64"),
    };
    const deps = benchDeps(`automations-${n}.db`, env);
    const { db } = deps;
    const now = BENCH_NOW;
    const platform = new Platform(deps);
    seedBuyers(db.sqlite, n, { accepts_marketing: true, first_name: "Alex" });
    const asker = { userId: "bench", channelId: "console" };
    await platform.commands.run("segment create everyone where orders >= 1", asker);
    await platform.commands.run(
      'automation create bench when customer enters segment "everyone" including current members send email win-back-1',
      asker,
    );
    await platform.commands.run("automation start bench", asker);
    const liftStart = performance.now();
    const result = await automationsApi.of(platform).runNow(null, now);
    const liftSeconds = (performance.now() - liftStart) / 1000;
    automationsApi.of(platform).core.close();
    const delivered = result.tally.sent;
    db.close();
    await smtp.close();
    const bareRate = n / bareSeconds;
    const liftRate = delivered / liftSeconds;
    return [
      {
        name: `automations: ${fmt(n)} customers enter a segment → emails delivered over loopback SMTP`,
        ratio: liftRate / bareRate,
        goal: "≥ 0.8 of bare nodemailer on one connection",
        detail: `Lift ${fmt(liftRate)} messages/s (${fmt(delivered)} accepted by the server, enrolment and queueing included, ${fmt(liftSeconds, 1)} s) vs bare nodemailer ${fmt(bareRate)} messages/s (${fmt(bareSeconds, 1)} s)`,
      },
    ];
  },
};
