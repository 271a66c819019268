import net from "node:net";
import nodemailer from "nodemailer";
import { maskEmail } from "../../platform/customers/page.ts";

/*
 * Mail over SMTP with nodemailer (a pool of connections kept open between messages), and what
 * each failure means for the message: the server is down (nothing was handed over: keep the
 * queue and pause), a temporary refusal (4xx: retry later), a permanent one for this recipient
 * (5xx: mark it, never retry), or unclear (the connection broke after the message was given:
 * it may have gone, so it is never resent blindly).
 */

export interface OutgoingMail {
  from: string;
  to: string;
  replyTo?: string | undefined;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

export type MailOutcome =
  | { ok: true; messageId: string; response: string }
  | { ok: false; kind: "down" | "transient" | "permanent" | "unclear"; reason: string };

export interface Mailer {
  send(mail: OutgoingMail): Promise<MailOutcome>;
  close(): void;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}

/** What a nodemailer error means for the message (see the comment above). */
export function classifySmtpError(error: SmtpError): Exclude<MailOutcome, { ok: true }> {
  // The server's words are shown in reports anyone may read: the addresses in them masked.
  const said = (error.response ?? error.message)
    .replace(/\s+/g, " ")
    .replace(/[^\s<>"':;,]+@[^\s<>"':;,]+/g, (address) => maskEmail(address))
    .slice(0, 200);
  if (typeof error.responseCode === "number") {
    if (error.responseCode >= 500)
      return { ok: false, kind: "permanent", reason: `refused by the mail server: ${said}` };
    if (error.responseCode >= 400)
      return { ok: false, kind: "transient", reason: `the mail server asked to retry later: ${said}` };
  }
  const code = error.code ?? "";
  // Refused or unreachable before any of the message was given: nothing went.
  if (
    code === "ECONNECTION" ||
    code === "EDNS" ||
    code === "EAUTH" ||
    code === "ETLS" ||
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.test(`${code} ${error.message}`)
  )
    return { ok: false, kind: "down", reason: `the mail server cannot be reached: ${said}` };
  if (
    error.command === "CONN" ||
    error.command === "EHLO" ||
    error.command === "HELO" ||
    error.command === "MAIL FROM" ||
    error.command === "RCPT TO"
  )
    return { ok: false, kind: "transient", reason: `the mail server broke off before the message: ${said}` };
  return {
    ok: false,
    kind: "unclear",
    reason: `the connection broke while the message was being handed over: ${said}`,
  };
}

/**
 * nodemailer's `getSocket` for a TCP connection with Nagle's algorithm off. By default the
 * message's closing "." waits for the server's delayed ACK (40 ms on Linux) on every message,
 * which caps a connection near 22 messages a second; with it off, a loopback server takes one
 * in a millisecond or two (measured: bench/capabilities/automations.ts).
 */
export function noDelaySocket(timeoutMs = 10_000) {
  return (
    options: { host?: string; port?: number },
    callback: (error: Error | null, socket?: { connection: net.Socket }) => void,
  ) => {
    let done = false;
    const finish = (error: Error | null, socket?: net.Socket) => {
      if (done) return;
      done = true;
      if (error) callback(error);
      else callback(null, { connection: socket! });
    };
    const socket = net.connect(options.port ?? 25, options.host ?? "127.0.0.1", () => {
      socket.setTimeout(0);
      finish(null, socket);
    });
    socket.setNoDelay(true);
    socket.setTimeout(timeoutMs, () => {
      const error = Object.assign(new Error(`connection to ${options.host}:${options.port} timed out`), {
        code: "ECONNECTION",
      });
      socket.destroy(error);
      finish(error);
    });
    socket.once("error", (error) => finish(error));
  };
}

/** A DKIM key to sign with (Gmail's bulk-sender rules want the List-Unsubscribe headers signed). */
export interface DkimKey {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/** nodemailer's default signed headers, and List-Unsubscribe-Post, which RFC 8058 asks to be signed too. */
const SIGNED_HEADERS =
  "From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:" +
  "Content-ID:Content-Description:List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post:List-Owner:List-Archive";

/** A pooled SMTP mailer for `url` (smtp://user:pass@host:port, smtps:// for implicit TLS). */
export function smtpMailer(
  url: string,
  options: { connections?: number; dkim?: DkimKey | undefined } = {},
): Mailer {
  const parsed = new URL(url);
  const local = ["127.0.0.1", "localhost", "::1", "[::1]"].includes(parsed.hostname);
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: options.connections ?? 4,
    maxMessages: Number.POSITIVE_INFINITY,
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: Number(parsed.port || (parsed.protocol === "smtps:" ? 465 : 587)),
    secure: parsed.protocol === "smtps:",
    ...(parsed.username
      ? { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } }
      : {}),
    // A server on this machine (a test's, a relay's) needs no certificate a public CA signed.
    ...(local ? { tls: { rejectUnauthorized: false } } : {}),
    getSocket: noDelaySocket(10_000),
    ...(options.dkim ? { dkim: { ...options.dkim, headerFieldNames: SIGNED_HEADERS } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from: mail.from,
          to: mail.to,
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers: mail.headers,
        });
        return { ok: true, messageId: info.messageId, response: String(info.response ?? "") };
      } catch (error) {
        return classifySmtpError(error as SmtpError);
      }
    },
    close() {
      transport.close();
    },
  };
}
