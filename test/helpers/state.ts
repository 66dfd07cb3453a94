import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { type ProviderSettings, parseTarget } from "../../src/providers/index.js";
import { redactDeep } from "../../src/redact.js";
import type { Report } from "../../src/report/types.js";
import { BUILTIN_RULES_DIR, loadRules } from "../../src/rules/load.js";
import { scan } from "../../src/scan.js";
import { StateKeys } from "../../src/state/keys.js";
import { StateMemory } from "../../src/state/memory.js";

export const KEY = "test-fingerprint-key-0123456789abcdef";

/** A fresh state file path in its own temp folder. */
export async function stateFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), "reliquat-state-")), "state.db");
}

/** One scan in-process with a state file, as `reliquat scan --state FILE` runs it (targets in order). */
export async function scanWithState(
  target: string | string[],
  file: string | undefined,
  settings: ProviderSettings,
  overrides: Partial<Config> = {},
): Promise<Report> {
  const rules = await loadRules();
  const config = { ...parseConfig({}, "state"), failOn: "never" as const, fingerprintKey: KEY, ...overrides };
  const memory = file ? new StateMemory(file, new StateKeys(KEY)) : undefined;
  try {
    const report = await scan({
      targets: (Array.isArray(target) ? target : [target]).map(parseTarget),
      config,
      rules,
      ruleDirs: [BUILTIN_RULES_DIR],
      settings,
      memory,
    });
    return JSON.parse(JSON.stringify(redactDeep(report, (s) => s))) as Report;
  } finally {
    memory?.close();
  }
}

/** A report without what differs between equal runs: times, and whether results were carried forward. */
export function comparable(report: Report): unknown {
  const { startedAt: _s, finishedAt: _f, changes: _c, ...rest } = report;
  return {
    ...rest,
    buckets: rest.buckets.map((b) => {
      const { carriedForward: _n, ...coverage } = b.coverage;
      return {
        ...b,
        coverage,
        objects: [...b.objects].map((o) => {
          const { carriedForward: _cf, readAt: _r, ...kept } = o;
          return kept;
        }),
      };
    }),
  };
}
