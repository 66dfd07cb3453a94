import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configJsonSchema } from "../../scripts/config-json-schema.js";
import { loadConfig } from "../../src/config/load.js";

async function configFile(text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), "reliquat-cfg-")), "reliquat.yaml");
  await writeFile(file, text);
  return file;
}

describe("config validation", () => {
  it("reports every error at once, each with its line and key, and a did-you-mean for unknown keys", async () => {
    const file = await configFile(
      [
        "targets: [s3://a]",
        "concurency: 8",
        "sampleBytes: lots",
        "s3:",
        "  regoin: eu-west-3",
        "failOn: sometimes",
        "",
      ].join("\n"),
    );
    const error = await loadConfig(file).catch((e: Error) => e);
    const lines = (error as Error).message.replace(/^\[reliquat:config\] /, "").split("\n");
    expect(lines).toHaveLength(4);
    expect(lines).toContain(`${file}: field "concurency": unknown key: did you mean "concurrency"? (line 2)`);
    expect(lines).toContain(`${file}: field "s3.regoin": unknown key: did you mean "region"? (line 5)`);
    expect(lines.find((l) => l.includes('"sampleBytes"'))).toMatch(/a size in bytes .* \(line 3\)$/);
    expect(lines.find((l) => l.includes('"failOn"'))).toMatch(/\(line 6\)$/);
  });

  it("gives no did-you-mean when no key is near", async () => {
    const file = await configFile("zzzzzz: 1\n");
    await expect(loadConfig(file)).rejects.toThrow(`${file}: field "zzzzzz": unknown key (line 1)`);
  });
});

describe("docs/config.schema.json", () => {
  it("is the schema generated from the zod schema (npm run docs:schemas)", async () => {
    const published = JSON.parse(await readFile("docs/config.schema.json", "utf8"));
    expect(published).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });

  it("describes every key, nested ones included, for editors' hover (from the doc comments)", () => {
    type Node = { properties?: Record<string, Node>; items?: Node; description?: string };
    const missing: string[] = [];
    const walk = (node: Node, path: string) => {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!child.description) missing.push(path + key);
        walk(child.items ?? child, `${path + key}.`);
      }
    };
    const schema = configJsonSchema() as Node;
    walk(schema, "");
    // profiles' values are free-form sections: only the key itself is described.
    expect(missing).toEqual([]);
    expect(schema.properties?.s3?.properties?.pageSize?.description).toMatch(/1,000/);
    expect(schema.properties?.workers).not.toHaveProperty("default");
  });

  it("accepts config.example.yaml and refuses an unknown key, as the loader does", async () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(configJsonSchema());
    const example = parse(
      (await readFile("config.example.yaml", "utf8")).replace(/\$\{[^}]+\}/g, "http://127.0.0.1:9000"),
    );
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ concurency: 8 })).toBe(false);
    expect(validate({ sampleBytes: "1MiB", reports: [{ format: "sarif", path: "r.sarif" }] })).toBe(true);
  });
});

describe("profiles", () => {
  const text = [
    "targets: [s3://a]",
    "concurrency: 8",
    "s3: { region: eu-west-3, maxAttempts: 3 }",
    "profiles:",
    "  nightly: { state: /var/lib/reliquat/state.db, failOn: new, s3: { maxAttempts: 6 } }",
    "  ci: { failOn: medium, format: sarif }",
    "",
  ].join("\n");

  it("merges the chosen section over the rest, provider sections key by key", async () => {
    const file = await configFile(text);
    const nightly = await loadConfig(file, {}, "nightly");
    expect(nightly).toMatchObject({
      targets: ["s3://a"],
      concurrency: 8,
      state: "/var/lib/reliquat/state.db",
      failOn: "new",
    });
    expect(nightly.s3).toMatchObject({ region: "eu-west-3", maxAttempts: 6 });
    const plain = await loadConfig(file, {});
    expect([plain.failOn, plain.state, plain.s3.maxAttempts]).toEqual(["high", undefined, 3]);
  });

  it("names the profiles it knows when asked for another", async () => {
    const file = await configFile(text);
    await expect(loadConfig(file, {}, "weekly")).rejects.toThrow(
      `${file}: no profile "weekly" under profiles: (known: nightly, ci)`,
    );
  });
});
