import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the files shipped beside the code are found: `rules/`, `score/`, `lib/`, `package.json`,
 * and the build's `dist/`. Found by walking up from this module to Reliquat's `package.json`,
 * so it holds wherever the module sits: `src/` (tests, tsx), `dist/` as tsc writes it, or one
 * chunk of a bundle. Throws at import only when the package is incomplete (no package.json).
 */
export const PACKAGE_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the package: `packagePath("rules")`. */
export const packagePath = (...parts: string[]) => path.join(PACKAGE_ROOT, ...parts);

/** Whether this code runs from the TypeScript sources (tests, tsx), not from a build. */
export const FROM_SOURCES = import.meta.url.endsWith(".ts");

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "reliquat")
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`[reliquat] no package.json of reliquat above ${from}`);
  }
}
