import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.js";
import { interpolate, loadConfig } from "../../src/config/load.js";
import { cli } from "../helpers/cli.js";

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "reliquat-config-"));
  const file = path.join(dir, "reliquat.yaml");
  await writeFile(file, text);
  return file;
}

describe("config", () => {
  it("gives documented defaults without a file", async () => {
    const c = await loadConfig();
    expect(c).toMatchObject({
      concurrency: 16,
      sampleBytes: 1048576,
      exhaustive: false,
      failOn: "high",
      maxObjects: 0,
    });
  });

  it("interpolates ${VAR} and ${VAR:-default}", () => {
    const env = { BUCKET_HOST: "https://s3.gra.io.cloud.ovh.net" };
    expect(interpolate({ s3: { endpoint: "${BUCKET_HOST}", region: "${REGION:-gra}" } }, env, "f")).toEqual({
      s3: { endpoint: "https://s3.gra.io.cloud.ovh.net", region: "gra" },
    });
  });

  it("fails on an unset variable without default, naming it", () => {
    expect(() => interpolate("${MISSING_VAR}", {}, "c.yaml")).toThrow(
      /c\.yaml: environment variable MISSING_VAR is not set/,
    );
  });

  it("names the wrong field and the file", async () => {
    const file = await configFile("concurrency: 0\n");
    await expect(loadConfig(file)).rejects.toThrow(/reliquat\.yaml: field "concurrency"/);
  });

  it("rejects unknown keys (a typo must not be silently ignored)", async () => {
    const file = await configFile("s3:\n  endpiont: http://x\n");
    await expect(loadConfig(file)).rejects.toThrow(ConfigError);
  });

  it("reports a missing file as a config error", async () => {
    await expect(loadConfig("/nonexistent/reliquat.yaml")).rejects.toThrow(/cannot read config.*ENOENT/);
  });

  it("loads the shipped example", async () => {
    const c = await loadConfig("config.example.yaml", { S3_ENDPOINT: "http://127.0.0.1:9000" });
    expect(c.s3.endpoint).toBe("http://127.0.0.1:9000");
  });

  describe("${VAR} in a number or boolean field", () => {
    it("reads the variable as the number or boolean the field expects, nested fields and defaults included", async () => {
      const file = await configFile(
        "concurrency: ${CONC}\nmaxBytes: ${MAX_BYTES:-1e9}\nexhaustive: ${FULL}\nallowPartial: ${PARTIAL}\n" +
          "s3:\n  maxAttempts: ${ATTEMPTS}\n  noSignRequest: ${ANON}\n",
      );
      const c = await loadConfig(file, { CONC: "8", FULL: "true", PARTIAL: "FALSE", ATTEMPTS: " 3 ", ANON: "1" });
      expect([c.concurrency, c.maxBytes, c.exhaustive, c.allowPartial, c.s3.maxAttempts, c.s3.noSignRequest]).toEqual([
        8,
        1_000_000_000,
        true,
        false,
        3,
        true,
      ]);
    });

    it("leaves string fields as strings, digits or not", async () => {
      const file = await configFile('fingerprintKey: ${KEY}\ntargets: ["${T}"]\ns3:\n  region: ${REGION}\n');
      const c = await loadConfig(file, { KEY: "0042", T: "/data/2021", REGION: "true" });
      expect([c.fingerprintKey, c.targets, c.s3.region]).toEqual(["0042", ["/data/2021"], "true"]);
    });

    it("names the file, the field and the variable when the text is not a number", async () => {
      const file = await configFile("concurrency: ${CONC}\n");
      await expect(loadConfig(file, { CONC: "sixteen" })).rejects.toThrow(
        `[reliquat:config] ${file}: field "concurrency" (from \${CONC}): "sixteen" is not a number`,
      );
      await expect(loadConfig(file, { CONC: "0x10" })).rejects.toThrow(/"0x10" is not a number/);
    });

    it("names the variable when the text is not a boolean", async () => {
      const file = await configFile("azure:\n  anonymous: ${ANON}\n");
      await expect(loadConfig(file, { ANON: "yes" })).rejects.toThrow(
        `${file}: field "azure.anonymous" (from \${ANON}): "yes" is not a boolean (true, false, 1 or 0)`,
      );
    });

    it("names the variable when the number breaks the field's bounds", async () => {
      const file = await configFile("concurrency: ${CONC}\n");
      await expect(loadConfig(file, { CONC: "1000" })).rejects.toThrow(
        new RegExp(`${file.replace(/[.]/g, "\\.")}: field "concurrency" \\(from \\$\\{CONC\\}\\): .*256`),
      );
    });

    it("keeps a quoted number typed in the file an error: only variables are read as numbers", async () => {
      const file = await configFile('concurrency: "16"\n');
      await expect(loadConfig(file)).rejects.toThrow(/reliquat\.yaml: field "concurrency": .*number/);
    });

    it("exits 2 with the one-line error from the CLI", async () => {
      const file = await configFile("concurrency: ${CONC}\n");
      const r = await cli(["scan", "--config", file, "."], { CONC: "many" });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `reliquat: [reliquat:config] ${file}: field "concurrency" (from \${CONC}): "many" is not a number\n`,
      );
    });
  });
});
