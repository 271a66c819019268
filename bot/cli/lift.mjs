#!/usr/bin/env node
// The `lift` command: loads TypeScript through tsx, then runs main.ts.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../../main.ts");
const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
