#!/usr/bin/env node
// The `lift` command (and `npm start`): runs the compiled JavaScript in dist/, built by
// `npm install`. A build older than the sources is never run silently: it is rebuilt first,
// with a line saying so (LIFT_NO_BUILD=1 refuses instead, for read-only installs).
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { staleBuild } from "./freshness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const stale = staleBuild(root);
if (stale) {
  if (process.env.LIFT_NO_BUILD === "1") {
    process.stderr.write(`lift: ${stale}: run \`npm run build\` (or npm install) first\n`);
    process.exit(1);
  }
  process.stderr.write(`lift: ${stale}: building it now (npm run build, a second)…\n`);
  try {
    const { build } = await import("./build.mjs");
    await build();
  } catch (error) {
    process.stderr.write(
      `lift: the build failed (${error instanceof Error ? error.message.split("\n")[0] : error}); fix it, or run \`npm install\` again\n`,
    );
    process.exit(1);
  }
}
const { main } = await import(pathToFileURL(join(root, "dist", "main.js")).href);
const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
