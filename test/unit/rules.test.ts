import { describe, expect, it } from "vitest";
import { testRuleExamples } from "../../src/cli/rules-command.js";
import { compilePack, loadRules, RuleError } from "../../src/rules/load.js";

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
  it("compiles a valid pack", () => {
    expect(compilePack(VALID, "ok.yaml").map((r) => r.spec.id)).toEqual(["demo"]);
  });

  it("names a wrong enum value", () => {
    const bad = VALID.replace("severity: high", "severity: extreme");
    expect(() => compilePack(bad, "packs/bad.yaml")).toThrow(/packs\/bad\.yaml: rule "demo", field "severity"/);
  });

  it("names an unknown validator", () => {
    expect(() => compilePack(VALID.replace("validator: nir", "validator: luhnx"), "v.yaml")).toThrow(
      /v\.yaml: rule "demo", field "validator": unknown validator "luhnx"/,
    );
  });

  it("names a pattern that is not a valid regex", () => {
    expect(() => compilePack(VALID.replace("'[0-9]{15}'", "'([0-9]'"), "r.yaml")).toThrow(
      /r\.yaml: rule "demo", field "patterns"/,
    );
  });

  it("requires examples on every rule", () => {
    expect(() => compilePack(VALID.replace(/examples:.*\n/, ""), "e.yaml")).toThrow(/field "examples"/);
  });

  it("rejects broken YAML", () => {
    expect(() => compilePack("rules: [", "y.yaml")).toThrow(RuleError);
  });

  it("fails on a missing rules folder", async () => {
    await expect(loadRules(["/nonexistent/rules"])).rejects.toThrow(/cannot read rules folder/);
  });
});
