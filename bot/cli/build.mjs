#!/usr/bin/env node
// Builds Lift to plain JavaScript in dist/: an esbuild bundle (one file a start path needs, split
// into chunks so what only a server needs — hono, the console, Bolt — loads only when serving),
// the worker threads beside it, and the migrations. Run by `npm install` (prepare) and by
// the `lift` command when the sources are newer than the build. Types are checked by `npm test`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build as esbuild } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "dist");

/** Packages with native parts or files of their own that must stay in node_modules. */
const EXTERNAL = [
  "better-sqlite3",
  "@napi-rs/canvas",
  "canvas",
  "chart.js",
  "chartjs-node-canvas",
  "@slack/bolt",
  "@slack/web-api",
  "pino",
  "esbuild",
];

export async function build() {
  rmSync(out, { recursive: true, force: true });
  await esbuild({
    absWorkingDir: root,
    entryPoints: {
      main: "main.ts",
      "answer-worker": "analytics/capabilities/answer-worker.ts",
      "writer-worker": "analytics/capabilities/writer-worker.ts",
      "fit-worker": "analytics/capabilities/predict/fit-worker.ts",
    },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir: out,
    // Every file in one folder, so a worker is always `./<name>.js` beside the code that starts it.
    chunkNames: "chunk-[hash]",
    external: EXTERNAL,
    // Bundled CommonJS packages call require(): give the ES module one.
    banner: {
      js: 'import { createRequire as __liftRequire } from "node:module"; const require = __liftRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
  // Data files the code reads beside itself (every chunk is in dist/, so beside each chunk).
  cpSync(
    join(root, "analytics", "capabilities", "social", "sentiment", "vader-lexicon.tsv"),
    join(out, "vader-lexicon.tsv"),
  );
  mkdirSync(join(out, "migrations"), { recursive: true });
  cpSync(join(root, "db", "migrations"), join(out, "migrations"), { recursive: true });
  writeFileSync(join(out, ".build-stamp"), `${new Date().toISOString()}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await build();
