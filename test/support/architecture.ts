import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import ts from "typescript";

/*
 * The architecture as rules over the import graph (../shared/ARCHITECTURE.md, README's
 * "Architecture"). Imports are found and resolved by the TypeScript compiler itself
 * (`preProcessFile` finds static, type-only, re-exported, dynamic and `require` imports across
 * lines; `resolveModuleName` resolves them with the project's own compiler options), so what
 * the check sees is what the compiler links.
 */

/** A source file by its path from the root, with its text. */
export type Sources = Map<string, string>;

export interface Edge {
  from: string;
  to: string;
}

const SKIP = new Set(["node_modules", ".git", "dist", "data", ".cache", "scratch"]);

/** Every TypeScript and ES module file of the tree, by its path from `root` (with / separators). */
export function readSources(root: string): Sources {
  const sources: Sources = new Map();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name) || name.startsWith("scratch")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mts|mjs)$/.test(name) && !name.endsWith(".d.ts"))
        sources.set(relative(root, path).split(sep).join("/"), readFileSync(path, "utf8"));
    }
  };
  walk(root);
  return sources;
}

function compilerOptions(root: string): ts.CompilerOptions {
  const file = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(file.config, ts.sys, root).options;
}

/**
 * The imports of every file, resolved to files of the tree (packages and node: modules are left
 * out). `sources` may hold files that are not on disk (a test injects a violation in memory).
 */
export function importGraph(root: string, sources: Sources): Edge[] {
  const options = compilerOptions(root);
  const absolute = (path: string) => join(root, path);
  const inMemory = new Map([...sources].map(([path, text]) => [absolute(path), text]));
  const host: ts.ModuleResolutionHost = {
    fileExists: (path) => inMemory.has(path) || ts.sys.fileExists(path),
    readFile: (path) => inMemory.get(path) ?? ts.sys.readFile(path),
    directoryExists: (path) => ts.sys.directoryExists?.(path) ?? true,
  };
  const edges: Edge[] = [];
  for (const [file, text] of sources) {
    const info = ts.preProcessFile(text, true, true);
    for (const { fileName } of info.importedFiles) {
      const resolved = ts.resolveModuleName(fileName, absolute(file), options, host).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const to = relative(root, resolved.resolvedFileName).split(sep).join("/");
      if (to.startsWith("..") || to.includes("node_modules/")) continue;
      edges.push({ from: file, to });
    }
  }
  return edges;
}

const EDGES = ["bot", "api", "jobs"];
const top = (path: string) => path.split("/")[0]!;
const edgeOf = (path: string) => (EDGES.includes(top(path)) ? top(path) : null);
const isPlatform = (path: string) => path.startsWith("analytics/platform/");
/** The capability a file of analytics/capabilities/<name>/ belongs to. */
const capabilityOf = (path: string) => /^analytics\/capabilities\/([^/]+)\//.exec(path)?.[1] ?? null;
/** The capability whose tables a file of db/<name>/ holds (db/platform/ is the platform's). */
const tablesOf = (path: string) => {
  const match = /^db\/([^/]+)\//.exec(path);
  return match && match[1] !== "platform" && match[1] !== "migrations" ? match[1]! : null;
};
/** Pure math lives in files named *.math.ts: functions in, numbers out. */
export const isMath = (path: string) => path.endsWith(".math.ts");

/** One rule broken: the two files and the rule's words. */
export interface Violation {
  from: string;
  to: string;
  rule: string;
}

export const describeViolation = (v: Violation) => `${v.from} → ${v.to}: ${v.rule}`;

/** The rules of one import. */
export function importRules(edge: Edge): string[] {
  const { from, to } = edge;
  const broken: string[] = [];
  const fromEdge = edgeOf(from);
  const toEdge = edgeOf(to);
  const outside = top(from) === "test" || top(from) === "bench";
  if (fromEdge && toEdge && fromEdge !== toEdge) broken.push("an edge imports another edge");
  if (fromEdge && top(to) === "db") broken.push("an edge imports db/ (edges call the platform's Core)");
  if (top(from) === "db" && top(to) !== "db") broken.push("db/ imports something above it");
  if (top(from) === "analytics" && (toEdge || to === "main.ts"))
    broken.push("analytics/ imports an edge or the composition root");
  if (isPlatform(from) && top(to) === "analytics" && !isPlatform(to))
    broken.push("the platform imports a capability (it reads the list it is given)");
  if (isPlatform(from) && tablesOf(to)) broken.push("the platform reads a capability's tables");
  const owner = capabilityOf(from);
  const target = capabilityOf(to);
  if (!outside && target && owner !== target && !to.endsWith(`/capabilities/${target}/index.ts`))
    broken.push("imports another capability's file other than its index.ts");
  const tables = tablesOf(to);
  if (!outside && owner && tables && tables !== owner) broken.push("reads another capability's tables");
  if (tables && top(from) === "db" && tablesOf(from) !== tables && !isMigrationList(from))
    broken.push("db/ code of one owner reads another capability's tables");
  if (isMath(from) && !isMath(to))
    broken.push("pure math (*.math.ts) imports something that is not pure math");
  return broken;
}

const isMigrationList = (path: string) => path === "db/client.ts";

/** Every broken import rule of the graph. */
export function importViolations(edges: Edge[]): Violation[] {
  return edges.flatMap((edge) => importRules(edge).map((rule) => ({ ...edge, rule })));
}

/** Folders under analytics/ that are neither the platform nor a capability of the list. */
export function strayFolders(sources: Sources, capabilities: readonly string[]): string[] {
  const stray = new Set<string>();
  for (const path of sources.keys()) {
    const parts = path.split("/");
    if (parts[0] !== "analytics" || parts.length < 3) continue;
    if (parts[1] === "platform") continue;
    if (parts[1] !== "capabilities") stray.add(`analytics/${parts[1]}/`);
    else if (parts.length > 3 && !capabilities.includes(parts[2]!))
      stray.add(`analytics/capabilities/${parts[2]}/`);
  }
  return [...stray].sort();
}

/**
 * Import cycles between folders: the folders of the tree as nodes, an import between two
 * folders as an edge; every strongly connected group of two or more folders is a cycle, named
 * with one import of each step.
 */
/**
 * The folder a file belongs to for the cycle rule: a part of the platform
 * (analytics/platform/ingest), a capability (analytics/capabilities/social), an
 * owner's tables (db/experiments), an edge's part (bot/slack) — each with its
 * subfolders, so a folder and its own subfolder may call each other, but two
 * parts may not depend on each other both ways.
 */
export function unitOf(path: string): string {
  const parts = path.split("/");
  if (parts[0] === "analytics" && parts.length > 3) return parts.slice(0, 3).join("/");
  if (parts.length > 2) return parts.slice(0, 2).join("/");
  return dirname(path);
}

export function folderCycles(edges: Edge[]): string[][] {
  const folder = unitOf;
  const graph = new Map<string, Map<string, Edge>>();
  for (const edge of edges) {
    const a = folder(edge.from);
    const b = folder(edge.to);
    if (a === b || top(edge.from) === "test" || top(edge.from) === "bench") continue;
    if (!graph.has(a)) graph.set(a, new Map());
    if (!graph.get(a)!.has(b)) graph.get(a)!.set(b, edge);
  }
  // Tarjan's strongly connected components.
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const groups: string[][] = [];
  const visit = (node: string) => {
    indexOf.set(node, index);
    low.set(node, index++);
    stack.push(node);
    on.add(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (on.has(next)) low.set(node, Math.min(low.get(node)!, indexOf.get(next)!));
    }
    if (low.get(node) === indexOf.get(node)) {
      const group: string[] = [];
      for (;;) {
        const member = stack.pop()!;
        on.delete(member);
        group.push(member);
        if (member === node) break;
      }
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!indexOf.has(node)) visit(node);
  return groups.map((group) => {
    const members = new Set(group);
    const steps: string[] = [];
    for (const a of group)
      for (const [b, edge] of graph.get(a) ?? []) if (members.has(b)) steps.push(`${edge.from} → ${edge.to}`);
    return steps.sort();
  });
}

/**
 * SQL written outside db/: statements in string or template literals (bench/ and test/ are
 * exempt). Another system's query language sent over HTTP (Salesforce's SOQL, Google Ads' GAQL)
 * is written as a template tagged `soql` or `gaql`, and is not Lift's database.
 */
export function sqlOutsideDb(sources: Sources): string[] {
  const SQL =
    /\b(?:SELECT\s+(?:[\w*(),.\s]+?)\s+FROM\s+\w|INSERT\s+(?:OR\s+\w+\s+)?INTO\s+\w|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s+\w|CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s|PRAGMA\s+\w)/;
  const found: string[] = [];
  for (const [path, text] of sources) {
    if (["db", "bench", "test"].includes(top(path)) || !path.endsWith(".ts")) continue;
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, false);
    const visit = (node: ts.Node) => {
      if (ts.isTaggedTemplateExpression(node) && ["soql", "gaql"].includes(node.tag.getText(file))) return;
      if (
        ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateExpression(node)
      ) {
        const literal = node.getText(file);
        if (SQL.test(literal)) {
          const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
          found.push(`${path}:${line + 1}: SQL outside db/`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

/**
 * Functions `db/` exports that code above `db/` imports and that return neither a Promise nor an
 * async iterable: every such call must be async so a second dialect (PostgreSQL) can stand under
 * the same functions. Read with the type checker, over the files `edges` say are imported from
 * above (tests and benchmarks do not count).
 */
export function synchronousDbExports(
  root: string,
  sources: Sources,
  edges: Edge[],
  exempt: ReadonlySet<string>,
): string[] {
  const above = (path: string) => !path.startsWith("db/") && !/^(test|bench)\//.test(path);
  // The names each db/ file is imported for, read from the import declarations of the files above it.
  const wanted = new Map<string, Set<string>>();
  for (const [file, text] of sources) {
    if (!above(file) || !/\.(ts|mts)$/.test(file)) continue;
    const targets = new Set(edges.filter((e) => e.from === file && e.to.startsWith("db/")).map((e) => e.to));
    if (targets.size === 0) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const target = join(dirname(file), specifier.text).split(sep).join("/");
      if (!targets.has(target)) continue;
      const names = wanted.get(target) ?? new Set<string>();
      wanted.set(target, names);
      const bindings = ts.isImportDeclaration(statement)
        ? statement.importClause?.namedBindings
        : statement.exportClause;
      if (bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings)))
        for (const element of bindings.elements) names.add((element.propertyName ?? element.name).text);
    }
  }
  const program = ts.createProgram(
    [...wanted.keys()].map((file) => join(root, file)),
    compilerOptions(root),
  );
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const [file, names] of wanted) {
    const source = program.getSourceFile(join(root, file));
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) continue;
    for (const symbol of checker.getExportsOfModule(module)) {
      const name = `${file}: ${symbol.name}`;
      if (!names.has(symbol.name) || exempt.has(name) || !symbol.valueDeclaration) continue;
      const type = checker.getTypeOfSymbolAtLocation(symbol, symbol.valueDeclaration);
      for (const signature of type.getCallSignatures()) {
        const returns = checker.typeToString(signature.getReturnType());
        if (!/^(Promise|AsyncIterable|AsyncGenerator|AsyncIterableIterator)</.test(returns)) {
          found.push(`${name} returns ${returns}`);
          break;
        }
      }
    }
  }
  return found.sort();
}
