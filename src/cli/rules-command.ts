import { hitsInText } from "../rules/kinds/index.js";
import { BUILTIN_RULES_DIR, loadRules } from "../rules/load.js";
import type { Rule } from "../rules/types.js";
import { EXIT } from "./exit-codes.js";
import type { Io } from "./scan-command.js";

/** `reliquat rules list`: one line per rule. */
export async function runRulesList(extra: string[], io: Io): Promise<number> {
  for (const r of await loadRules([BUILTIN_RULES_DIR, ...extra])) {
    io.stdout.write(
      `${r.spec.id.padEnd(24)} ${r.spec.category.padEnd(12)} ${r.spec.severity.padEnd(8)} ${r.spec.name}\n`,
    );
  }
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
