import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.js";
import { parseConfig } from "../../src/config/load.js";
import { parseSize } from "../../src/config/schema.js";

describe("sizes with units", () => {
  it.each([
    ["4096", 4096],
    ["512KiB", 512 * 1024],
    ["1 MiB", 1024 * 1024],
    ["2GiB", 2 * 1024 ** 3],
    ["100MB", 100_000_000],
    ["1.5kB", 1500],
    ["3 b", 3],
    ["1e9", 1_000_000_000],
  ])("reads %s as %d bytes", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(["", "MiB", "12 parsecs", "-1", "1,5MiB", "1e400"])("refuses %j", (text) => {
    expect(parseSize(text)).toBeUndefined();
  });

  it("takes sizes with units in the config, and numbers as before", () => {
    const c = parseConfig({ sampleBytes: "256KiB", maxBytes: "2GiB", maxExpandedBytes: 1000 }, "c.yaml");
    expect([c.sampleBytes, c.maxBytes, c.maxExpandedBytes]).toEqual([256 * 1024, 2 * 1024 ** 3, 1000]);
    expect(() => parseConfig({ sampleBytes: "lots" }, "c.yaml")).toThrow(ConfigError);
    expect(() => parseConfig({ sampleBytes: "0B" }, "c.yaml")).toThrow(/sampleBytes/);
  });

  it("keeps a cron line's outputs, state and fail policy in the config", () => {
    const c = parseConfig(
      {
        targets: ["s3://"],
        format: "json",
        output: "/var/log/reliquat/report.json",
        reports: [{ format: "sarif", path: "r.sarif" }],
        state: "/var/lib/reliquat/state.db",
        failOn: "new",
      },
      "nightly.yaml",
    );
    expect(c).toMatchObject({ format: "json", output: "/var/log/reliquat/report.json", failOn: "new" });
    expect(c.reports).toEqual([{ format: "sarif", path: "r.sarif" }]);
    expect(() => parseConfig({ reports: [{ format: "sarif" }] }, "c.yaml")).toThrow(ConfigError);
  });
});
