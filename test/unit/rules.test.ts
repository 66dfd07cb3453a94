import { describe, expect, it } from "vitest";
import { testRuleExamples } from "../../src/cli/rules-command.js";
import { RuleError } from "../../src/rules/errors.js";
import { compilePack, loadRules } from "../../src/rules/load.js";

const rules = await loadRules();

describe("built-in rule packs", () => {
  it.each(rules.map((r) => [r.spec.id, r] as const))("%s passes its own examples", (_, rule) => {
    const result = testRuleExamples(rule);
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(rule.spec.examples.match.length + rule.spec.examples.noMatch.length);
  });
});

const VALID = `
version: 1
pack: test
rules:
  - id: demo
    kind: pattern
    name: Demo
    category: national-id
    severity: high
    patterns: ['[0-9]{15}']
    validator: nir
    examples: { match: ["185057800608491"], noMatch: ["x"] }
`;

describe("rule loading errors name the file, the rule and the field", () => {
  it("compiles a valid pack", async () => {
    expect((await compilePack(VALID, "ok.yaml")).map((r) => r.spec.id)).toEqual(["demo"]);
  });

  it("names a wrong enum value", async () => {
    const bad = VALID.replace("severity: high", "severity: extreme");
    await expect(compilePack(bad, "packs/bad.yaml")).rejects.toThrow(/packs\/bad\.yaml: rule "demo", field "severity"/);
  });

  it("names an unknown validator", async () => {
    await expect(compilePack(VALID.replace("validator: nir", "validator: luhnx"), "v.yaml")).rejects.toThrow(
      /v\.yaml: rule "demo", field "validator": unknown validator "luhnx"/,
    );
  });

  it("names a pattern that is not a valid regex", async () => {
    await expect(compilePack(VALID.replace("'[0-9]{15}'", "'([0-9]'"), "r.yaml")).rejects.toThrow(
      /r\.yaml: rule "demo", field "patterns"/,
    );
  });

  it("requires examples on every rule", async () => {
    await expect(compilePack(VALID.replace(/examples:.*\n/, ""), "e.yaml")).rejects.toThrow(/field "examples"/);
  });

  it("rejects broken YAML", async () => {
    await expect(compilePack("rules: [", "y.yaml")).rejects.toThrow(RuleError);
  });

  it("fails on a missing rules folder", async () => {
    await expect(loadRules(["/nonexistent/rules"])).rejects.toThrow(/cannot read rules folder/);
  });
});
