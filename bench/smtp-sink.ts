// A loopback SMTP server in a process of its own (as a relay is): takes every message, reads it
// to the end, and prints its port. For bench/capabilities/automations.ts.
import { SMTPServer } from "smtp-server";

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  disableReverseLookup: true,
  size: 1024 * 1024,
  onData(stream, _session, callback) {
    stream.on("data", () => {});
    stream.on("end", () => callback());
  },
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.server.address() as { port: number }).port}\n`);
});
process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
