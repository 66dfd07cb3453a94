import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.js";
import { interpolate, loadConfig } from "../../src/config/load.js";

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
});
