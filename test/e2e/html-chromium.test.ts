import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { htmlReporter } from "../../src/report/html.js";
import { goldenReport } from "../helpers/golden.js";

const CHROMIUM = "/usr/bin/chromium";
const missing = existsSync(CHROMIUM) ? "" : " (SKIPPED: Chromium is not installed; run `npm run setup:system`)";
if (missing) {
  if (process.env.RELIQUAT_REQUIRE_SYSTEM) throw new Error(`Chromium is required: ${CHROMIUM} is missing`);
  console.warn(`[reliquat tests] HTML report test${missing}`);
}
/** Screenshots are kept in test-artifacts/ (ignored by git). */
const ARTIFACTS = path.resolve("test-artifacts");

describe.skipIf(!!missing)(`HTML report in headless Chromium${missing}`, () => {
  it("loads offline with no console error, shows the ranking, and opens a bucket's drill-down", async () => {
    const report = await goldenReport("html");
    await mkdir(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, "report.html");
    await writeFile(file, htmlReporter.render(report, { color: false, failOn: "high" }));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(e.message));
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(`file://${file}`);

      // Ranking order, as in the report.
      const ranked = await page
        .locator("#ranking tbody tr")
        .evaluateAll((rows) =>
          rows.map((r) => [r.getAttribute("data-bucket"), r.querySelector(".badge")?.textContent]),
        );
      expect(ranked).toEqual(report.buckets.map((b) => [b.url, b.exposure.level]));

      // Drill-down: closed at first, opened by a click, showing objects and masked samples only.
      const first = page.locator("details#bucket-1");
      expect(await first.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
      await first.locator("summary").click();
      expect(await first.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
      await expect.poll(() => first.locator("table.objects tbody tr").count()).toBe(3);
      const samples = await first.locator("table.objects code").allTextContents();
      expect(samples.length).toBeGreaterThan(0);
      for (const s of samples) expect(s).toMatch(/•/);
      // Health samples are terms, shown as written and apart from identifiers.
      const terms = await first.locator("table.objects q.term").allTextContents();
      expect(terms.length).toBeGreaterThan(0);
      for (const t of terms) expect(t).not.toMatch(/[0-9]{4}/);
      expect(await first.locator(".factor").count()).toBe(report.buckets[0]?.exposure.factors.length);

      // The category chart drew one bar per category found.
      expect(await page.locator("#categories rect").count()).toBeGreaterThanOrEqual(3);
      await page.screenshot({ path: path.join(ARTIFACTS, "report.png"), fullPage: true });

      expect(problems).toEqual([]);
      expect(requests.filter((u) => !u.startsWith("file://"))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
