import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("reliquat demo", () => {
  it("seeds local S3, Azure and GCS servers, ranks the three clouds in one report, and exits 0", async () => {
    const started = Date.now();
    const r = await cli(["demo"]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split("\n").slice(1, 7);
    expect(rows[0]).toMatch(
      /^1\s+CRITICAL\s+\d+\s+s3:\/\/labo-migration-2021-export\s+830\s+\d{3}\s+6 scanned, 0 partial, 0 skipped of 6$/,
    );
    // A public transfer container on Azure and a gzipped backup on GCS, found through their own APIs.
    expect(rows[1]).toMatch(/^2\s+CRITICAL\s+\d+\s+azure:\/\/devstoreaccount1\/sil-transfert-2022\s+150\s+150\s/);
    expect(rows[2]).toMatch(/^3\s+CRITICAL\s+\d+\s+gs:\/\/hds-sauvegarde-2020\s+80\s+80\s/);
    // The health brochure is low (health words, no person); logs and invoices with NIR-like decoys are none.
    expect(rows[3]).toMatch(/^4\s+LOW\s+\d+\s+s3:\/\/site-web-assets\s+0\s/);
    expect(
      rows
        .slice(4)
        .map((row) => row.split(/\s+/)[3])
        .sort(),
    ).toEqual(["azure://devstoreaccount1/app-logs", "s3://compta-factures-2026"]);
    expect(r.stdout).toMatch(
      /\+13 staleness: newest object written \d+ day\(s\) ago; named like a leftover \("migr"\)/,
    );
    expect(r.stderr).toMatch(/every value above is synthetic/);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("writes the demo report as JSON on request", async () => {
    const r = await cli(["demo", "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.buckets[0].name).toBe("labo-migration-2021-export");
    expect(report.buckets[0].totals.distinctPersons).toBe(830);
    // Every lab-export row ties a NIR to a blood group or a comment; the SQL rows say only "bilan sanguin".
    expect(report.buckets[0].totals.patientRecords).toBeGreaterThan(600);
    const brochure = report.buckets.find((b: { name: string }) => b.name === "site-web-assets");
    expect(brochure.totals).toMatchObject({ patientRecords: 0, distinctPersons: 0 });
    const azure = report.buckets.find((b: { provider: string }) => b.provider === "azure");
    expect(azure.posture.notes).toContain("public access level: container");
  });
});
