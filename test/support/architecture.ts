import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

/** Every relative import of every TypeScript file in the tree, by the file's path from the root. */
export function importsOf(root: string): Map<string, string[]> {
  const files = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (["node_modules", ".git", "dist", "data", ".cache"].includes(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mts|mjs)$/.test(name))
        files.set(relative(root, path), specifiers(readFileSync(path, "utf8")));
    }
  };
  walk(root);
  const resolved = new Map<string, string[]>();
  for (const [file, imports] of files) {
    resolved.set(
      file,
      imports.filter((s) => s.startsWith(".")).map((s) => normalize(join(dirname(file), s))),
    );
  }
  return resolved;
}

/** The modules a source imports or re-exports (static and dynamic). */
export function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s+["']([^"']+)["']/gm,
    /^\s*import\s+["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

const EDGES = ["bot", "api", "jobs"];
const top = (path: string) => path.split("/")[0]!;
const edgeOf = (path: string) => (EDGES.includes(top(path)) ? top(path) : path === "main.ts" ? "main" : null);

/**
 * The direction of every import (ARCHITECTURE.md): edges (bot/, api/, jobs/)
 * call the core and never each other; analytics/ imports no edge; db/ imports
 * nothing of analytics/; a capability's files are reached from outside only
 * through its index.ts; the platform's own files import no capability (only the
 * list, analytics/capabilities.ts, does); and edges talk to Core, never to the
 * Platform that holds the database.
 */
export function violations(imports: Map<string, string[]>, capabilities: string[]): string[] {
  const found: string[] = [];
  const capabilityOf = (path: string) => {
    const [first, second] = path.split("/");
    return first === "analytics" && second && capabilities.includes(second) && path.split("/").length > 2
      ? second
      : null;
  };
  for (const [file, targets] of imports) {
    for (const target of targets) {
      const fromEdge = edgeOf(file);
      const toEdge = edgeOf(target);
      // main.ts is the composition root: it may build every edge, and the `lift` bin may start it.
      if (fromEdge && toEdge && fromEdge !== toEdge && fromEdge !== "main" && toEdge !== "main")
        found.push(`${file} → ${target}: an edge imports another edge`);
      if (top(file) === "analytics" && toEdge) found.push(`${file} → ${target}: analytics/ imports an edge`);
      if (top(file) === "db" && top(target) === "analytics")
        found.push(`${file} → ${target}: db/ imports analytics/`);
      if (fromEdge && fromEdge !== "main" && target === "analytics/platform.ts")
        found.push(`${file} → ${target}: an edge reaches the Platform (edges talk to Core)`);
      const from = capabilityOf(file);
      const to = capabilityOf(target);
      // Tests and benchmarks reach into a capability to test its pure math directly.
      const outside = top(file) === "test" || top(file) === "bench";
      if (to && from !== to && !outside && !target.endsWith(`analytics/${to}/index.ts`))
        found.push(`${file} → ${target}: imports a capability's file other than its index`);
      if (to && top(file) === "analytics" && from === null && file !== "analytics/capabilities.ts")
        found.push(`${file} → ${target}: the platform imports a capability (only the list may)`);
    }
  }
  return found;
}
