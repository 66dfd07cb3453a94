import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { RenderOptions, Reporter } from "./index.js";
import { sarifLevel, securitySeverity } from "./levels.js";
import { describeLocation } from "./location.js";
import { interruptedLine } from "./run-lines.js";
import type { BucketReport, ObjectFinding, ObjectReport, Report } from "./types.js";

/** GitHub code scanning refuses runs over 25,000 results or uploads over 10 MB gzipped. */
export const SARIF_LIMITS = { results: 25_000, gzippedBytes: 10 * 1024 * 1024 };
const BUCKET_RULE = "reliquat-bucket-exposure";
const LEVEL_RANK = { error: 0, warning: 1, note: 2, none: 3 } as const;

type SarifResult = {
  ruleId: string;
  ruleIndex: number;
  level: keyof typeof LEVEL_RANK;
  message: { text: string };
  locations: unknown[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
};

/**
 * SARIF 2.1.0: one run; rule metadata from the rule packs plus one rule for bucket exposure;
 * one result per rule per object (and one per exposed bucket), located at the object URL
 * written as an RFC 3986 URI reference (see {@link objectUri}); messages keep the exact names.
 * `partialFingerprints` is the finding id (provider, bucket, key, rule: never the value) and
 * no result carries a snippet. Over GitHub's limits, the least severe results are dropped
 * and a notification says how many.
 */
export const sarifReporter: Reporter = {
  name: "sarif",
  render(report: Report, _options: RenderOptions): string {
    const rules = [
      {
        id: BUCKET_RULE,
        name: "BucketExposure",
        shortDescription: { text: "A bucket ranks at an exposure level above none" },
        fullDescription: {
          text: "Exposure score from what was found, volume, accessibility, staleness and protection.",
        },
        defaultConfiguration: { level: "warning" },
        properties: { category: "exposure", tags: ["privacy", "exposure"] },
      },
      ...report.rules.map((r) => ({
        id: r.id,
        name: r.name,
        shortDescription: { text: r.name },
        fullDescription: { text: r.description ?? r.name },
        defaultConfiguration: { level: sarifLevel(r.severity) },
        properties: {
          category: r.category,
          pack: r.pack,
          tags: ["privacy", r.category],
          "security-severity": securitySeverity(r.severity),
        },
      })),
    ];
    const index = new Map(rules.map((r, i) => [r.id, i]));
    const all: SarifResult[] = [];
    for (const b of report.buckets) {
      if (b.exposure.level !== "none") all.push(bucketResult(b));
      for (const o of b.objects.withFindings())
        for (const f of o.findings) all.push(findingResult(b, o, f, index.get(f.ruleId) ?? -1));
    }
    all.sort(
      (a, b) =>
        (a.ruleId === BUCKET_RULE ? 0 : 1) - (b.ruleId === BUCKET_RULE ? 0 : 1) ||
        LEVEL_RANK[a.level] - LEVEL_RANK[b.level],
    );
    const notifications = report.errors.map((e) => ({
      level: "error",
      message: { text: `${e.target}: ${e.message}` },
    }));
    const stopped = interruptedLine(report);
    if (stopped) notifications.unshift({ level: "error", message: { text: stopped } });
    const log = (results: SarifResult[], note?: string) => ({
      $schema: "https://json.schemastore.org/sarif-2.1.0.json",
      version: "2.1.0",
      runs: [
        {
          tool: {
            driver: {
              name: "Reliquat",
              semanticVersion: report.tool.version,
              informationUri: "https://www.npmjs.com/package/reliquat",
              rules,
            },
          },
          invocations: [
            {
              executionSuccessful: report.summary.complete,
              startTimeUtc: report.startedAt,
              endTimeUtc: report.finishedAt,
              toolExecutionNotifications: note
                ? [...notifications, { level: "warning", message: { text: note } }]
                : notifications,
            },
          ],
          results,
          properties: { highestLevel: report.summary.highestLevel, buckets: report.summary.buckets },
        },
      ],
    });
    let kept = Math.min(all.length, SARIF_LIMITS.results);
    for (;;) {
      const note = kept < all.length ? truncationNote(kept, all.length) : undefined;
      const text = `${JSON.stringify(log(all.slice(0, kept), note), null, 2)}\n`;
      if (kept === 0 || gzipSync(text).byteLength <= SARIF_LIMITS.gzippedBytes) return text;
      kept = Math.floor(kept / 2);
    }
  },
};

function truncationNote(kept: number, total: number): string {
  return `results truncated: ${kept} of ${total} kept, most severe first (GitHub code scanning accepts at most ${SARIF_LIMITS.results} results and 10 MB gzipped); the JSON report has them all`;
}

function bucketResult(b: BucketReport): SarifResult {
  const top = b.exposure.factors
    .filter((f) => f.points > 0)
    .map((f) => `+${f.points} ${f.name}: ${f.detail}`)
    .join(" | ");
  return {
    ruleId: BUCKET_RULE,
    ruleIndex: 0,
    level: sarifLevel(b.exposure.level),
    message: { text: `${b.url} is ${b.exposure.level.toUpperCase()} (${b.exposure.score}/100). ${top}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: bucketUri(b.url) } } }],
    partialFingerprints: { "reliquatBucket/v1": createHash("sha256").update(`${b.provider}\0${b.name}`).digest("hex") },
    properties: {
      score: b.exposure.score,
      distinctPersons: b.totals.distinctPersons,
      patientRecords: b.totals.patientRecords,
    },
  };
}

function findingResult(b: BucketReport, o: ObjectReport, f: ObjectFinding, ruleIndex: number): SarifResult {
  const first = f.samples[0]?.location;
  const where = first?.path || first?.field ? ` (first at ${describeLocation(first)})` : "";
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: {
      text: `${f.count} occurrence(s) of ${f.ruleId} (${f.distinct} distinct, confidence ${f.confidence}) in ${o.url}${where}; bucket ${b.exposure.level} ${b.exposure.score}/100.`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: objectUri(b, o) },
          ...(first?.line !== undefined && !first.path ? { region: { startLine: first.line } } : {}),
        },
      },
    ],
    partialFingerprints: { "reliquatFinding/v1": f.id },
    properties: { category: f.category, count: f.count, distinct: f.distinct, reasons: f.reasons, bucket: b.url },
  };
}

/**
 * An object's URL as an RFC 3986 URI reference: the bucket URL, `/`, the key with each
 * `/`-separated segment percent-encoded as UTF-8 (space, `#`, `%`, `?`, `[`, non-ASCII, the
 * mask `•`…), then the version query. Decoding the path gives the (redacted) key back; a `.` or
 * `..` segment is encoded as `%2E` so that it names an object, not a parent folder (WHATWG URL
 * parsers still collapse it).
 */
export function objectUri(b: BucketReport, o: ObjectReport): string {
  const key = o.key
    .split("/")
    .map((s) => (s === "." || s === ".." ? s.replace(/\./g, "%2E") : encodeURIComponent(wellFormed(s))))
    .join("/");
  const version = o.versionId ? `?versionId=${encodeURIComponent(wellFormed(o.versionId))}` : "";
  return `${bucketUri(b.url)}/${key}${version}`;
}

/**
 * A bucket URL as an RFC 3986 URI: `file://` URLs arrive percent-encoded already and keep their
 * `%XX` escapes; any other character outside the unreserved set, the sub-delimiters, `:`, `@`
 * and `/` (a mask `•` put in by redaction, a stray `%`, `?`, `#`) is percent-encoded.
 */
export function bucketUri(url: string): string {
  return wellFormed(url).replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu, encodeURIComponent);
}

/** A lone surrogate cannot be written as UTF-8: U+FFFD stands for it, as a UTF-8 writer would. */
const wellFormed = (text: string) => text.replace(/\p{Cs}/gu, "\uFFFD");
