import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

/**
 * A real SMTP server on loopback (smtp-server): what it accepted, parsed with mailparser, and
 * the recipients it refuses for good (550) or for now (450). `stop()` and `start()` again on the
 * same port stand for a mail server that goes down and comes back.
 */
export class LoopbackSmtp {
  readonly messages: ParsedMail[] = [];
  readonly raw: string[] = [];
  /** Recipients refused with 550 (permanent) or 450 (temporary). */
  readonly refuse = new Map<string, 450 | 550>();
  port = 0;
  /** Takes the message and never answers (a server that hangs after DATA). */
  stall = false;
  /** Sessions as the server saw them: over TLS (STARTTLS), and who logged in. */
  readonly sessions: { secure: boolean; user: string | undefined }[] = [];

  /** `auth`: offer STARTTLS (smtp-server's own self-signed certificate) and require this login. */
  constructor(private readonly auth?: { user: string; pass: string }) {}
  #server: SMTPServer | null = null;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private make(): SMTPServer {
    const auth = this.auth;
    const options: SMTPServerOptions = {
      authOptional: !auth,
      disabledCommands: auth ? [] : ["STARTTLS"],
      logger: false,
      ...(auth
        ? {
            onAuth: (login, _session, callback) =>
              login.username === auth.user && login.password === auth.pass
                ? callback(null, { user: login.username })
                : callback(new Error("535 authentication failed")),
          }
        : {}),
      onRcptTo: (address, _session, callback) => {
        const code = this.refuse.get(address.address.toLowerCase());
        if (!code) return callback();
        // As Postfix words it: the address is in the reply.
        const error = new Error(
          code === 550
            ? `5.1.1 <${address.address}>: Recipient address rejected: User unknown`
            : `4.2.1 <${address.address}>: try again later`,
        ) as Error & {
          responseCode: number;
        };
        error.responseCode = code;
        callback(error);
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          this.sessions.push({ secure: _session.secure, user: _session.user as string | undefined });
          const text = Buffer.concat(chunks).toString("utf8");
          this.raw.push(text);
          if (this.stall) return;
          simpleParser(text)
            .then((parsed) => {
              this.messages.push(parsed);
              callback();
            })
            .catch(callback);
        });
      },
    };
    return new SMTPServer(options);
  }

  async start(): Promise<this> {
    const server = this.make();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.server.address() as { port: number }).port;
    this.#server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
