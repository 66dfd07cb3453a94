import { parseConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { parseTarget } from "../../src/providers/index.js";
import type { S3Options } from "../../src/providers/s3.js";
import { BUILTIN_RULES_DIR, loadRules } from "../../src/rules/load.js";
import { type ScanEvents, scan } from "../../src/scan.js";
import type { S3Server } from "../global-setup.js";
import { folderTree } from "./cli.js";

export const rules = await loadRules();

/** Runs the real orchestrator in-process on targets, with config overrides. */
export async function scanTargets(
  targets: string[],
  overrides: Partial<Config> = {},
  s3?: S3Options,
  events?: ScanEvents,
) {
  const config = { ...parseConfig({}, "test"), ...overrides };
  return scan({
    targets: targets.map(parseTarget),
    config,
    rules,
    ruleDirs: [BUILTIN_RULES_DIR],
    settings: { s3 },
    events,
  });
}

/** S3 settings for a test server with its admin credentials. */
export function s3Settings(server: S3Server, extra: S3Options = {}): S3Options {
  return {
    endpoint: server.endpoint,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    maxAttempts: 2,
    ...extra,
  };
}

/** Writes `files` to a fresh folder, scans it (exit threshold off) and returns its objects. */
export async function scanFiles(files: Record<string, Buffer>, overrides: Partial<Config> = {}) {
  const dir = await folderTree(files);
  const report = await scanTargets([dir], { failOn: "never", ...overrides });
  return [...(report.buckets[0]?.objects ?? [])];
}
