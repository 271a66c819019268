// Whether the build in dist/ is as new as the sources it was built from.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** What a build is made from: TypeScript, the migrations, the build's own files and package.json. */
export const SOURCES = ["package.json", "main.ts", "env.ts", "analytics", "bot", "api", "jobs", "db"];

/** The newest modification time among the sources under `root`. */
export function newestSource(root) {
  let newest = 0;
  const walk = (path) => {
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
    } else if (/\.(ts|sql|mjs|json)$/.test(path) && info.mtimeMs > newest) newest = info.mtimeMs;
  };
  for (const source of SOURCES) {
    const path = join(root, source);
    if (existsSync(path)) walk(path);
  }
  return newest;
}

/** null when dist/ is current; otherwise why it is not. */
export function staleBuild(root) {
  const stamp = join(root, "dist", ".build-stamp");
  if (!existsSync(stamp) || !existsSync(join(root, "dist", "main.js"))) return "Lift has not been built yet";
  return newestSource(root) > statSync(stamp).mtimeMs ? "the sources changed since the last build" : null;
}
