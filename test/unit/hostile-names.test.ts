import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { createProgress } from "../../src/cli/progress.js";
import { buildEvidence } from "../../src/report/evidence.js";
import { esc } from "../../src/report/html.js";
import { reporters } from "../../src/report/index.js";
import { printable } from "../../src/report/printable.js";
import type { ObjectReport, Report } from "../../src/report/types.js";
import { bucket, report, totals } from "../helpers/report.js";
import { fakeTty } from "../helpers/tty.js";

/** A name built to attack every output: terminal escapes, a bidi override, Markdown and HTML syntax. */
const ATTACK = "x\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED";
const HOSTILE = `${ATTACK}|a\`b\\|[c](http://e.test)<i>\u202etxt.exe\u2066`;
/** What every text output must show for it. */
const SHOWN = printable(HOSTILE);

function hostileReport(): Report {
  const object: ObjectReport = {
    url: `s3://${HOSTILE}/${HOSTILE}.csv`,
    key: `${HOSTILE}.csv`,
    size: 10,
    coverage: "partial",
    reason: `read-error: ${HOSTILE}`,
    error: true,
    bytesRead: 5,
    patientRecords: 1,
    distinctPersons: 1,
    categories: { "national-id": 1 },
    findings: [
      {
        id: "0".repeat(64),
        ruleId: "fr-nir",
        category: "national-id",
        severity: "high",
        count: 1,
        distinct: 1,
        confidence: 0.9,
        reasons: ["key valid"],
        samples: [
          {
            masked: "1•••••••••••••1",
            fingerprint: "0123456789ab",
            location: { line: 2, offset: 0, path: HOSTILE, field: HOSTILE },
          },
        ],
      },
    ],
  };
  const b = bucket({
    url: `s3://${HOSTILE}`,
    exposure: {
      score: 80,
      level: "critical",
      factors: [{ name: "staleness", points: 13, max: 15, detail: `named like a leftover ("${HOSTILE}")` }],
    },
    posture: { publicRead: false, publicList: false, notes: [HOSTILE] },
    coverage: {
      listed: 1,
      scanned: 0,
      partial: 1,
      skipped: 0,
      complete: false,
      errors: [`listing "${HOSTILE}" failed`],
    },
    totals: totals({ findings: 1, distinctPersons: 1, patientRecords: 1, categories: { "national-id": 1 } }),
    objects: [object],
  });
  const r = report([b], false);
  r.errors = [{ target: HOSTILE, message: `folder "${HOSTILE}" cannot be read` }];
  r.evidence = buildEvidence(r);
  return r;
}

/** Raw characters no text output may hold: C0 but `\n`, DEL, C1, bidi controls. */
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const render = (format: string, color = false) =>
  reporters[format]?.render(hostileReport(), { color, failOn: "high" }) ?? "";

describe("reporters given names built to attack the terminal, Markdown, XML and HTML", () => {
  it("terminal: shows the name escaped and holds no control character but \\n", () => {
    const text = render("terminal");
    expect(text).not.toMatch(RAW);
    expect(text).not.toContain("\x1b");
    expect(text).toContain(`1. s3://${SHOWN}\n`);
    expect(text).toContain(`   ! listing "${SHOWN}" failed\n`);
    expect(text).toContain(`! ${SHOWN}: folder "${SHOWN}" cannot be read\n`);
    expect(SHOWN).toBe("x\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mRED|a`b\\\\|[c](http://e.test)<i>\\u202etxt.exe\\u2066");
  });

  it("terminal with colours: the only escapes are its own SGR colours", () => {
    const text = render("terminal", true);
    expect(text).toContain("\x1b[1;41;97mCRITICAL\x1b[0m");
    expect(text.replace(/\x1b\[(?:1;41;97|1;31|33|36|2|0)m/g, "")).not.toMatch(RAW);
  });

  it("markdown: no raw control, the table keeps 7 columns, no link, image or HTML forms", () => {
    const md = render("markdown");
    expect(md).not.toMatch(RAW);
    const rows = md.split("\n").filter((l) => l.startsWith("|"));
    expect(rows).toHaveLength(3);
    // A pipe ends a cell unless an odd number of backslashes precede it (GFM).
    for (const row of rows) expect(row.split(/(?<!\\)(?:\\\\)*\|/).length - 2).toBe(7);
    expect(rows[2]).toContain(`\`s3://${SHOWN.replaceAll("`", "'").replaceAll("|", "\\|")}\``);
    const escaped = String.raw`x\\x1b\]0;PWNED\\x07\\x1b\[2J\\x1b\[31mRED\|a\`b\\\\\|\[c\](http://e.test)&lt;i&gt;\\u202etxt.exe\\u2066`;
    expect(md).toContain(`- \`${SHOWN.replaceAll("`", "'")}\`: folder "${escaped}" cannot be read\n`);
    // Outside code spans and the <details> HTML block (where Markdown is inert), no tag and no link or image forms.
    const inert = [SHOWN.replaceAll("`", "'").replaceAll("|", "\\|"), SHOWN.replaceAll("`", "'"), esc(SHOWN)];
    const outside = inert.reduce((text, span) => text.replaceAll(span, ""), md);
    expect(outside).toContain(escaped);
    expect(outside).not.toMatch(/<i>|(?<!\\)\]\(/);
  });

  it("junit: well-formed XML whose names read as the escaped text", () => {
    const xml = render("junit");
    expect(xml).not.toMatch(RAW);
    const names: string[] = [];
    const parser = new SaxesParser();
    parser.on("error", (e) => {
      throw e;
    });
    parser.on("opentag", (t) => {
      if (t.name === "testcase") names.push(String(t.attributes.name));
    });
    parser.write(xml).close();
    expect(names).toEqual([`s3://${SHOWN}`, SHOWN]);
    // The parser does refuse a raw control character: the check above can fail.
    expect(() => new SaxesParser().write(`<a n="\x1b"/>`).close()).toThrow(/disallowed character/);
  });

  it("html: escaped markup, no control or bidi character, the name shown escaped", () => {
    const html = render("html");
    expect(html).not.toMatch(RAW);
    expect(html).not.toContain("<i>");
    expect(html).toContain(`<td class="mono">${esc(printable(`${HOSTILE}.csv`))}</td>`);
    expect(html).toContain("\\u202etxt.exe");
  });
});

describe("the live progress line given a bucket named with escape sequences", () => {
  it("shows the name escaped: no title change, no screen clear", async () => {
    const tty = fakeTty();
    const p = await createProgress(tty.stream);
    p.onBucket?.({ provider: "s3", name: ATTACK, url: `s3://${ATTACK}` });
    // cli-progress redraws on a 100 ms timer.
    await new Promise((r) => setTimeout(r, 250));
    p.stop();
    const text = tty.text();
    expect(text).toContain("bucket 1 s3://x\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mRED |");
    // cli-progress moves the cursor with its own escapes; the name's OSC title, BEL and clear must not appear.
    expect(text).not.toMatch(/\x1b\]|\x07|\x1b\[2J|\x1b\[31m/);
  });
});
