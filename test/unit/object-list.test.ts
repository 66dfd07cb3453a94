import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reporters } from "../../src/report/index.js";
import { ObjectList } from "../../src/report/object-list.js";
import type { ObjectReport } from "../../src/report/types.js";
import { bucket, report, totals } from "../helpers/report.js";

const BASE = "s3://labo";

/** An object as scanObject writes it, fields in its order; `extra` adds the optional tail. */
function plain(key: string, extra: Partial<ObjectReport> = {}): ObjectReport {
  return {
    url: `${BASE}/${key}`,
    key,
    size: 120,
    lastModified: "2021-03-04T05:06:07.000Z",
    coverage: "scanned",
    bytesRead: 120,
    patientRecords: 0,
    distinctPersons: 0,
    categories: {},
    findings: [],
    ...extra,
  };
}

const withFinding = (key: string): ObjectReport => ({
  ...plain(key),
  distinctPersons: 1,
  categories: { "national-id": 1 },
  findings: [
    {
      id: "a".repeat(64),
      ruleId: "fr-nir",
      category: "national-id",
      severity: "high",
      count: 1,
      distinct: 1,
      confidence: 0.9,
      reasons: ["key valid"],
      samples: [{ masked: "1•••1", fingerprint: "f00", location: { line: 2, offset: 9 } }],
    },
  ],
});

describe("ObjectList: a bucket's objects in little memory", () => {
  it("gives back exactly what was pushed, plain or whole, sorted by key", () => {
    const objects = [
      plain("z.csv", { encoding: "utf-8" }),
      withFinding("b.csv"),
      plain("a.csv.gz", {
        encoding: "windows-1252",
        format: "gzip",
        expandedBytes: 900,
        reason: "head 1 MiB of 3 MiB",
      }),
      plain("skip.png", { coverage: "skipped", reason: "unsupported-format (image/png)" }),
      plain("err.txt", { coverage: "partial", reason: "read-error: x", error: true }),
      { ...plain("no-date"), lastModified: undefined },
      { ...plain("v.csv"), versionId: "3/L4+=" },
      { ...plain("odd.csv"), url: "s3://other/odd.csv" },
    ];
    const list = ObjectList.of(BASE, objects);
    list.sort();
    const sorted = [...objects].sort((a, b) => (a.key < b.key ? -1 : 1));
    expect([...list]).toEqual(sorted);
    expect(JSON.stringify([...list])).toBe(JSON.stringify(sorted));
    expect([...list.withFindings()].map((o) => o.key)).toEqual(["b.csv"]);
    expect([...list.keysInOrder()]).toEqual(sorted.map((o) => o.key));
    expect(list.at(-1)?.key).toBe("z.csv");
    expect(list.length).toBe(objects.length);
  });

  it("keeps keys UTF-8 cannot carry (a lone surrogate) and sorts by code point, as S3 lists", () => {
    const keys = ["b", "é.csv", "\ud800lone", "a", "😀.txt", "\uffff", "A", ""];
    const list = ObjectList.of(
      BASE,
      keys.map((k) => plain(k)),
    );
    list.sort();
    const byCodePoint = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    const got = [...list.keysInOrder()];
    expect(new Set(got)).toEqual(new Set(keys));
    expect(got.filter((k) => k !== "\ud800lone")).toEqual(byCodePoint.filter((k) => k !== "\ud800lone"));
    expect([...list].find((o) => o.key === "\ud800lone")?.url).toBe(`${BASE}/\ud800lone`);
  });

  it("sorts keys with lone surrogates the same whatever the order they came in", () => {
    const sorted = (keys: string[]) => {
      const list = ObjectList.of(
        BASE,
        keys.map((k) => plain(k)),
      );
      list.sort();
      return [...list.keysInOrder()];
    };
    const a = ["\uffff", "\u{10000}", "\udbff"];
    expect(sorted(a)).toEqual(sorted([a[2] as string, a[0] as string, a[1] as string]));
    expect(sorted(a)).toEqual(["\udbff", "\uffff", "\u{10000}"]);
  });

  it("round-trips any plain object, whatever its strings and numbers (property)", () => {
    const field = fc.option(fc.string(), { nil: undefined });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.string(),
            size: fc.nat(),
            bytesRead: fc.nat(),
            date: fc.option(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }), {
              nil: undefined,
            }),
            encoding: field,
            reason: field,
            coverage: fc.constantFrom("scanned", "partial", "skipped" as const),
          }),
          { maxLength: 30 },
        ),
        (specs) => {
          const objects = specs.map((s) => {
            const o = plain(s.key, { size: s.size, bytesRead: s.bytesRead, coverage: s.coverage });
            o.lastModified = s.date?.toISOString();
            if (s.encoding !== undefined) o.encoding = s.encoding;
            if (s.reason !== undefined) o.reason = s.reason;
            return o;
          });
          expect(JSON.stringify([...ObjectList.of(BASE, objects)])).toBe(JSON.stringify(objects));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("holds 200,000 plain objects in about 100 bytes each, none of them as a whole object", () => {
    const list = new ObjectList(BASE);
    for (let i = 0; i < 200_000; i++)
      list.push(
        plain(`exports/lab-${i >> 10}/resultats-${i}.csv`, {
          encoding: "utf-8",
          reason: i % 7 ? undefined : "head 1 MiB of 2.0 MiB",
        }),
      );
    const { columnBytes, whole } = list.footprint();
    // A whole ObjectReport with these strings costs about 1 KB of heap; a key of 35 bytes plus
    // 8 + 32 + 20 bytes of columns is about 95, and growth by doubling adds up to as much again.
    expect(whole).toBe(0);
    expect(columnBytes / 200_000).toBeLessThan(200);
    expect(list.at(199_999)?.key).toBe("exports/lab-195/resultats-199999.csv");
  });
});

describe("the JSON report, streamed", () => {
  it("is the same text as JSON.stringify of the whole report, in pieces no larger than needed", () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      i % 500 === 0 ? withFinding(`k${i}`) : plain(`k${i}"\\\n${i}`),
    );
    const r = report([
      bucket({ url: BASE, totals: totals({ findings: 6 }), objects: many }),
      bucket({ url: "s3://empty", objects: [] }),
      bucket({ url: "s3://one", objects: [{ ...plain("x"), url: "s3://one/x" }] }),
    ]);
    const options = { color: false, failOn: "high" as const };
    const json = reporters.json as NonNullable<typeof reporters.json>;
    const pieces = [...(json.stream?.(r, options) ?? [])];
    expect(pieces.join("")).toBe(`${JSON.stringify(r, null, 2)}\n`);
    expect(json.render(r, options)).toBe(`${JSON.stringify(r, null, 2)}\n`);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(128 * 1024);
    expect(pieces.length).toBeGreaterThan(5);
  });
});
