/**
 * The shipped YAML files parsed at build time (dist/prebuilt.json): used only while the file's
 * text is the one it was built from, and equal to what parsing it gives.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { BUILTIN_RULES_DIR } from "../../src/rules/load.js";
import { DEFAULT_WEIGHTS_FILE } from "../../src/score/weights.js";
import { buildPrebuilt, sha256, yamlData } from "../../src/yaml-data.js";

describe("prebuilt YAML", () => {
  it("holds every rule pack and the weights, each equal to its parse", async () => {
    const table = await buildPrebuilt();
    expect(Object.keys(table).sort()).toEqual([
      "rules/fr-contact.yaml",
      "rules/fr-financial.yaml",
      "rules/fr-health.yaml",
      "rules/fr-identity.yaml",
      "rules/fr-nir.yaml",
      "score/exposure-weights.yaml",
    ]);
    for (const [key, entry] of Object.entries(table)) {
      const text = await readFile(path.join(PACKAGE_ROOT, key), "utf8");
      expect(entry.data, key).toEqual(parse(text));
    }
    expect(path.join(PACKAGE_ROOT, "score/exposure-weights.yaml")).toBe(DEFAULT_WEIGHTS_FILE);
    expect(path.join(PACKAGE_ROOT, "rules")).toBe(BUILTIN_RULES_DIR);
  });

  it("is used for the text it was built from, and never for an edited one", async () => {
    const file = path.join(BUILTIN_RULES_DIR, "fr-nir.yaml");
    const text = await readFile(file, "utf8");
    const table = { "rules/fr-nir.yaml": { sha256: sha256(text), data: { built: true } } };
    expect(await yamlData(text, file, table)).toEqual({ built: true });
    const edited = `${text}\n# edited\n`;
    expect(await yamlData(edited, file, table)).toEqual(parse(edited));
    // A file outside the package (a user's pack) is always parsed.
    expect(await yamlData("a: 1\n", "/elsewhere/rules/fr-nir.yaml", table)).toEqual({ a: 1 });
  });
});
