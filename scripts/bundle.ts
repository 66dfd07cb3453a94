/**
 * Bundles the CLI and its worker threads with esbuild into `dist/` over tsc's files of the same
 * names (`dist/cli/main.js`, `dist/rules/worker.js`, `dist/extract/sandbox-worker.js`), shared
 * code in `dist/chunks/`. Code splitting keeps each dynamic import a chunk of its own, so the
 * cloud SDKs load only for their provider and `--help` loads neither. Why: Node resolved and
 * compiled about 250 modules at every start (a third of a one-file scan's CPU time).
 * Native addons stay outside (better-sqlite3), and so do the demo's emulators (dev dependencies).
 */
import { rmSync, statSync } from "node:fs";
import { build } from "esbuild";
import { packagePath } from "../src/package-root.js";

// The automaton cache key hashes tsc's output of the compiler (src/rules/automaton/cache.ts): a
// bundle of newer compiler code would trust tables built by the older one. npm run build runs tsc
// first; run alone, this refuses.
for (const name of ["parse", "compile", "searcher"]) {
  const source = statSync(packagePath("src", "rules", "automaton", `${name}.ts`)).mtimeMs;
  const built = statSync(packagePath("dist", "rules", "automaton", `${name}.js`), { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined || built < source)
    throw new Error(`dist/rules/automaton/${name}.js is older than its source: run npm run build`);
}
rmSync(packagePath("dist", "chunks"), { recursive: true, force: true }); // no stale chunks from an earlier build
await build({
  absWorkingDir: packagePath(),
  entryPoints: {
    "cli/main": "src/cli/main.ts",
    "rules/worker": "src/rules/worker.ts",
    "extract/sandbox-worker": "src/extract/sandbox-worker.ts",
  },
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Maps for stack traces (node --enable-source-maps), without the sources: they point at src/,
  // which is in the repository, not in the package.
  sourcemap: true,
  sourcesContent: false,
  legalComments: "linked",
  // yaml and cli-progress are CommonJS loaded by import(): bundled, such a chunk is only
  // `export default require_x()` and a named import of it is undefined (every config file and
  // user pack failed with "parse is not a function", every terminal run with "SingleBar is not
  // a constructor"). Left to Node, its CommonJS loader finds their named exports.
  external: ["better-sqlite3", "azurite", "firebase-tools", "tsx", "tsx/*", "yaml", "cli-progress"],
  // CommonJS packages inside an ES module bundle call require() for Node's own modules.
  banner: {
    js: 'import { createRequire as __reliquatRequire } from "node:module"; const require = __reliquatRequire(import.meta.url);',
  },
  // Whitespace and syntax only: names stay readable in stack traces. Parsing less is the gain (0.26 → 0.25 CPU-s per one-file scan).
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});
