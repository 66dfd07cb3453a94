/**
 * The built CLI is an esbuild bundle split by command and provider (scripts/bundle.ts): what a
 * start loads before any dynamic import is small, and the cloud SDKs load only with their
 * provider. Read from the build that `npm ci` (prepare) leaves in dist/.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../../src/package-root.js";

const MAIN = packagePath("dist", "cli", "main.js");

/** The files `file` imports statically, itself included (dynamic `import()` left out). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, "utf8");
  for (const m of source.matchAll(/(?:^|[;\n}])import\s*(?:[\w*{}\s,$]+?from\s*)?"(\.{1,2}\/[^"]+)"/g))
    staticClosure(path.resolve(path.dirname(file), m[1] as string), seen);
  return seen;
}

const dynamicImports = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/import\("(\.{1,2}\/[^"]+)"\)/g)].map((m) =>
    path.resolve(path.dirname(file), m[1] as string),
  );

const holds = (files: Iterable<string>, marker: string) =>
  [...files].filter((f) => readFileSync(f, "utf8").includes(marker)).map((f) => path.basename(f));

describe("the bundled CLI", () => {
  it("is a bundle: run npm run build first", () => {
    expect(existsSync(MAIN)).toBe(true);
    expect(existsSync(packagePath("dist", "chunks")), "dist/chunks: scripts/bundle.ts did not run").toBe(true);
    // tsc's main.js imports its neighbours; the bundle imports chunks.
    expect(readFileSync(MAIN, "utf8")).not.toMatch(/from\s*"\.\/scan-command\.js"/);
  });

  it("starts on little code: no SDK, no PDF reader, no command before it is chosen", () => {
    const start = staticClosure(MAIN);
    const bytes = [...start].reduce((n, f) => n + readFileSync(f).length, 0);
    expect(bytes).toBeLessThan(400_000);
    for (const marker of ["S3Client", "BlobServiceClient", "storage.googleapis.com", "getDocumentProxy", "ZodError"])
      expect(holds(start, marker), marker).toEqual([]);
    expect(dynamicImports(MAIN).map((f) => path.basename(f).replace(/-[A-Z0-9]+\.js$/, ""))).toEqual(
      expect.arrayContaining(["scan-command", "baseline-command", "demo-command", "rules-command"]),
    );
  });

  it("loads each cloud SDK only with its provider", () => {
    const scan = dynamicImports(MAIN).find((f) => path.basename(f).startsWith("scan-command-")) as string;
    const scanStart = staticClosure(scan);
    for (const marker of ["S3Client", "BlobServiceClient", "storage.googleapis.com"])
      expect(holds(scanStart, marker), marker).toEqual([]);
    // Each provider is a chunk of its own, reached by a dynamic import.
    const providers = [...scanStart]
      .flatMap(dynamicImports)
      .map((f) => path.basename(f).replace(/-[A-Z0-9]+\.js$/, ""));
    expect(providers).toEqual(expect.arrayContaining(["s3", "azure", "gcs"]));
  });

  it("imports no CommonJS chunk by name: esbuild gives such a chunk a default export only", () => {
    const chunks = packagePath("dist", "chunks");
    const defaultOnly = readdirSync(chunks).filter(
      (n) => n.endsWith(".js") && /export default require_\w+\(\);/.test(readFileSync(path.join(chunks, n), "utf8")),
    );
    const files = [MAIN, ...readdirSync(chunks).map((n) => path.join(chunks, n))].filter((f) => f.endsWith(".js"));
    const named = files.flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/\{[^{}]*\}\s*=\s*await import\("\.\/([^"]+)"\)/g)]
        .map((m) => m[1] as string)
        .filter((chunk) => defaultOnly.includes(chunk)),
    );
    expect(named).toEqual([]);
  });

  it("reads a config file and a user rule pack (yaml is loaded by import())", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "reliquat-bundle-"));
    writeFileSync(path.join(dir, "config.yaml"), "concurrency: 2\n");
    const packs = path.join(dir, "packs");
    mkdirSync(packs);
    writeFileSync(
      path.join(packs, "pack.yaml"),
      [
        "version: 1",
        "pack: custom",
        "rules:",
        "  - id: custom-dossier",
        "    kind: pattern",
        "    name: Dossier number",
        "    category: identity",
        "    severity: low",
        "    description: A lab's own dossier number.",
        "    patterns: ['DOS-[0-9]{6}']",
        "    examples:",
        "      match: ['DOS-123456']",
        "      noMatch: ['DOS-12']",
        "",
      ].join("\n"),
    );
    const run = (...args: string[]) => execFileSync(process.execPath, [MAIN, ...args], { encoding: "utf8" });
    expect(run("rules", "list", "--rules", packs)).toContain("custom-dossier");
    const empty = mkdtempSync(path.join(tmpdir(), "reliquat-bundle-empty-"));
    const json = run(
      "scan",
      empty,
      "--config",
      path.join(dir, "config.yaml"),
      "--format",
      "json",
      "--fail-on",
      "never",
    );
    expect(JSON.parse(json).parameters.concurrency).toBe(2);
  });
});
