import { hitsInText } from "../rules/kinds/index.js";
import { BUILTIN_RULES_DIR, loadRules } from "../rules/load.js";
import { ruleSearches } from "../rules/searches.js";
import type { Rule } from "../rules/types.js";
import { EXIT } from "./exit-codes.js";
import type { Io } from "./scan-command.js";

/**
 * `reliquat rules list`: one line per rule, then how its searches run: in the one-pass
 * automaton, or as their own regex for a pattern outside what the automaton expresses.
 */
export async function runRulesList(extra: string[], io: Io): Promise<number> {
  const rules = await loadRules([BUILTIN_RULES_DIR, ...extra]);
  const { searcher, offsets } = ruleSearches(rules, "utf-8");
  rules.forEach((r, i) => {
    const first = offsets[i] as number;
    const own = searcher.fallbacks.filter((f) => f.id >= first && f.id < first + r.searches("utf-8").length);
    const engine = own.length === 0 ? "" : `  [regex: ${[...new Set(own.map((f) => f.reason))].join("; ")}]`;
    io.stdout.write(
      `${r.spec.id.padEnd(24)} ${r.spec.category.padEnd(12)} ${r.spec.severity.padEnd(8)} ${r.spec.name}${engine}\n`,
    );
  });
  const total = offsets.length === 0 ? 0 : rules.reduce((n, r) => n + r.searches("utf-8").length, 0);
  io.stdout.write(
    `${total - searcher.fallbacks.length} of ${total} searches in one automaton of ${searcher.states} states (UTF-8), run in ${searcher.loop ?? "none"}\n`,
  );
  return EXIT.clean;
}

/** The outcome of one rule's examples. Failures name the example, which is synthetic by contract. */
export interface ExampleResult {
  ruleId: string;
  passed: number;
  failures: string[];
}

/** Runs each rule alone on each of its examples: `match` must give a finding, `noMatch` none. */
export function testRuleExamples(rule: Rule): ExampleResult {
  const result: ExampleResult = { ruleId: rule.spec.id, passed: 0, failures: [] };
  const matches = (text: string) => hitsInText(rule, text).length > 0;
  for (const text of rule.spec.examples.match) {
    if (matches(text)) result.passed++;
    else result.failures.push(`should match: ${JSON.stringify(text)}`);
  }
  for (const text of rule.spec.examples.noMatch) {
    if (!matches(text)) result.passed++;
    else result.failures.push(`should not match: ${JSON.stringify(text)}`);
  }
  return result;
}

/** `reliquat rules test`: exit 0 when every example behaves, 1 otherwise. */
export async function runRulesTest(extra: string[], io: Io): Promise<number> {
  let failed = 0;
  for (const rule of await loadRules([BUILTIN_RULES_DIR, ...extra])) {
    const r = testRuleExamples(rule);
    io.stdout.write(`${r.failures.length === 0 ? "ok  " : "FAIL"} ${r.ruleId} (${r.passed} example(s) passed)\n`);
    for (const f of r.failures) io.stdout.write(`     ${f}\n`);
    failed += r.failures.length;
  }
  return failed === 0 ? EXIT.clean : EXIT.findings;
}
