/**
 * Compiles the DFA run-time loop (src/rules/automaton/wasm/scan.as.ts, AssemblyScript) to
 * WebAssembly and writes it where the runner loads it from: dist/rules/automaton/wasm/scan.wasm
 * (WASM_FILE), for the build and for runs from the sources alike. Usage: tsx scripts/build-wasm.ts
 * The compiler is the `assemblyscript` devDependency, or the package at $RELIQUAT_ASC (its
 * directory) when the project's is not installed.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { packagePath } from "../src/package-root.js";
import { WASM_FILE } from "../src/rules/automaton/wasm/runner.js";

/** The AssemblyScript source of the loop. */
export const SCAN_SOURCE = packagePath("src/rules/automaton/wasm/scan.as.ts");

/**
 * The compiled module's bytes: -O3, stub runtime (the loop allocates nothing), no assertions.
 * The compiler runs as its own Node process: imported under tsx, its 10 MB of JS would first
 * go through tsx's transform (7 s instead of 1 s). Throws when the compiler is missing or
 * fails (with its messages).
 */
export function compileScanWasm(): Uint8Array {
  const home =
    process.env.RELIQUAT_ASC ?? path.dirname(createRequire(import.meta.url).resolve("assemblyscript/package.json"));
  const dir = mkdtempSync(path.join(tmpdir(), "reliquat-asc-"));
  try {
    const out = path.join(dir, "scan.wasm");
    const args = [SCAN_SOURCE, "-O3", "--runtime", "stub", "--noAssert", "--outFile", out];
    execFileSync(process.execPath, [path.join(home, "bin", "asc.js"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    return readFileSync(out);
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`[reliquat] AssemblyScript (${home}): ${(error as Error).message}\n${stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = performance.now();
  const binary = compileScanWasm();
  mkdirSync(path.dirname(WASM_FILE), { recursive: true });
  writeFileSync(WASM_FILE, binary);
  const ms = Math.round(performance.now() - started);
  console.log(`${path.relative(process.cwd(), WASM_FILE)}: ${binary.length} bytes in ${ms} ms`);
}
