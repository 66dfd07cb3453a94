import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { reporters } from "../../src/report/index.js";
import { goldenReport } from "../helpers/golden.js";
import { schemaErrors } from "../helpers/schema.js";

const report = await goldenReport("reporters");
const golden = (name: string) => new URL(`../golden/${name}`, import.meta.url);

/**
 * Golden files: each reporter is a pure function of the report, so the fixed synthetic scan
 * must render byte for byte as committed. After an intended change, regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/integration/reporters.test.ts` and review the diff.
 */
describe("reporters render the fixed synthetic scan as the golden files", () => {
  const files = {
    json: "report.json",
    sarif: "report.sarif",
    markdown: "report.md",
    junit: "report.junit.xml",
    html: "report.html",
  };
  for (const [format, file] of Object.entries(files)) {
    it(`${format} matches test/golden/${file}`, async () => {
      const text = reporters[format]?.render(report, { color: false, failOn: "high" }) ?? "";
      if (process.env.UPDATE_GOLDEN) await writeFile(golden(file), text);
      // A missing golden file fails: it is never written silently.
      expect(existsSync(golden(file)), `test/golden/${file} is missing: UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(await readFile(golden(file), "utf8"));
    });
  }

  it("ranks the scenario as a CISO expects, and the JSON matches its schema", () => {
    expect(schemaErrors(report)).toBe("");
    expect(report.buckets.map((b) => [b.url.replace("file:///golden/", ""), b.exposure.level])).toEqual([
      ["labo-export-2021", "high"],
      ["app-recent", "low"],
      ["site-web", "low"],
    ]);
    expect(report.evidence?.buckets.map((b) => b.bucket)).toEqual([
      "file:///golden/labo-export-2021",
      "file:///golden/app-recent",
    ]);
  });

  it("marks the failing bucket in JUnit and only that one", () => {
    const xml = reporters.junit?.render(report, { color: false, failOn: "high" }) ?? "";
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toMatch(
      /name="file:\/\/\/golden\/labo-export-2021"[\s\S]*?<failure message="file:\/\/\/golden\/labo-export-2021 is HIGH/,
    );
    const none = reporters.junit?.render(report, { color: false, failOn: "never" }) ?? "";
    expect(none).not.toContain("<failure ");
  });
});
