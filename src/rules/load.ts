import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { packagePath } from "../package-root.js";
import { yamlData } from "../yaml-data.js";
import { RuleError } from "./errors.js";
import { compileRule } from "./kinds/index.js";
import { rulePackSchema } from "./schema.js";
import type { Rule } from "./types.js";

/** The rule packs shipped with Reliquat. */
export const BUILTIN_RULES_DIR = packagePath("rules");

/** Loads and compiles every `*.yaml` file of the given folders, in name order. */
export async function loadRules(dirs: string[] = [BUILTIN_RULES_DIR]): Promise<Rule[]> {
  const rules: Rule[] = [];
  for (const dir of dirs) {
    const names = await readdir(dir).catch((cause) => {
      throw new RuleError(`cannot read rules folder "${dir}": ${(cause as Error).message}`, { cause });
    });
    for (const name of names.filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const file = path.join(dir, name);
      rules.push(...(await compilePack(await readFile(file, "utf8"), file)));
    }
  }
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.spec.id)) throw new RuleError(`${r.file}: rule "${r.spec.id}" is defined twice`);
    seen.add(r.spec.id);
  }
  return rules;
}

/** Validates one pack's YAML text and compiles its rules. Rejects with {@link RuleError}. */
export async function compilePack(text: string, file: string): Promise<Rule[]> {
  let data: unknown;
  try {
    data = await yamlData(text, file);
  } catch (cause) {
    throw new RuleError(`${file}: not valid YAML: ${(cause as Error).message}`, { cause });
  }
  const parsed = rulePackSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path ?? [];
    const ruleIndex = where[0] === "rules" && typeof where[1] === "number" ? where[1] : undefined;
    const ruleId = ruleIndex === undefined ? undefined : (data as { rules?: { id?: string }[] }).rules?.[ruleIndex]?.id;
    const field = where.slice(ruleIndex === undefined ? 0 : 2).join(".") || "(root)";
    const rule = ruleId ? `rule "${ruleId}", ` : ruleIndex !== undefined ? `rule #${ruleIndex + 1}, ` : "";
    throw new RuleError(`${file}: ${rule}field "${field}": ${issue?.message}`);
  }
  return parsed.data.rules.map((spec) => {
    try {
      return compileRule(spec, parsed.data.pack, file);
    } catch (cause) {
      const message = (cause as Error).message;
      const field = message.startsWith("field ") ? message : `field "patterns": ${message}`;
      throw new RuleError(`${file}: rule "${spec.id}", ${field}`, { cause });
    }
  });
}
