import { availableParallelism } from "node:os";
import { z } from "zod";
import { allowEntrySchema } from "../suppress/allowlist.js";

import { FAIL_ON, type FailOn, LEVELS, type Level } from "./levels.js";

export { FAIL_ON, type FailOn, LEVELS, type Level };

const positiveInt = z.number().int().positive();

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** A size in bytes: a number (`1e9` too), or a string with a unit (`512KiB`, `1 MiB`, `2GB`, `100MB`). */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[(m[2] ?? "").toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const bytes = Number(m[1]) * unit;
  return Number.isSafeInteger(Math.round(bytes)) ? Math.round(bytes) : undefined;
}

const size = (min: number) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = typeof v === "number" ? v : parseSize(v);
    if (n === undefined || !Number.isInteger(n) || n < min) {
      ctx.addIssue({
        code: "custom",
        message: `a size in bytes ≥ ${min}, as a number or with a unit (512KiB, 1MiB, 2GB)`,
      });
      return z.NEVER;
    }
    return n;
  });

/** The configuration file (`--config reliquat.yaml`). Every key is optional; CLI flags win. */
export const configSchema = z
  .object({
    /** Targets scanned when none are given on the command line. */
    targets: z.array(z.string().min(1)).default([]),
    /** Objects read at once. Default 16. */
    concurrency: positiveInt.max(256).default(16),
    /** Detection worker threads for large blocks (0: main thread). Default: cores − 1 above 2 cores, else 0 (measured: no gain on 2). */
    workers: z
      .number()
      .int()
      .nonnegative()
      .max(64)
      .default(availableParallelism() > 2 ? availableParallelism() - 1 : 0),
    /** Bytes read from the head of each object when sampling. Default 1 MiB. */
    sampleBytes: size(1).default(1024 * 1024),
    /** Read every byte of every object, streamed. Default false. */
    exhaustive: z.boolean().default(false),
    /** Stop listing a bucket after this many objects (0: no limit). Default 0. */
    maxObjects: z.number().int().nonnegative().default(0),
    /** Stop reading once this many bytes were read in the whole scan (0: no limit). Default 0. */
    maxBytes: size(0).default(0),
    /** Give up on one object after this many ms, plus 1 s per MiB planned (exhaustive reads fail only below 1 MiB/s). Default 60,000. */
    objectTimeoutMs: positiveInt.default(60_000),
    /** Most bytes one compressed object may expand to. Default 1 GiB. */
    maxExpandedBytes: size(1).default(1024 ** 3),
    /** Expansion ratio above which a compressed object is a suspected bomb. Default 100. */
    maxExpansionRatio: positiveInt.default(100),
    /** Most entries read in one archive. Default 10,000. */
    maxArchiveEntries: positiveInt.default(10_000),
    /** Most levels of archives and compressed streams inside each other. Default 5. */
    maxArchiveDepth: positiveInt.max(20).default(5),
    /** Exit 1 when a bucket's level is at or above this. Default `high`. */
    failOn: z.enum(FAIL_ON).default("high"),
    /** Accept incomplete coverage (exit 0 instead of 3). Default false. */
    allowPartial: z.boolean().default(false),
    /** Also scan noncurrent object versions (S3); residue is always counted. Default false. */
    includeVersions: z.boolean().default(false),
    /** Leave objects without findings out of the report's `objects`. Default false. */
    findingsOnly: z.boolean().default(false),
    /** Extra rule folders, loaded after the built-in packs. */
    rules: z.array(z.string()).default([]),
    /** Key for finding fingerprints; default a random key per run. Needed by `state`. */
    fingerprintKey: z.string().optional(),
    /** The report's format (`terminal`, `json`, `sarif`, `html`, `markdown`, `junit`); `--format` wins. */
    format: z.string().min(1).optional(),
    /** Where the report goes (default stdout); `--output` wins. */
    output: z.string().min(1).optional(),
    /** Extra reports, each a format and a file, added to those of `--report`. */
    reports: z
      .array(
        z
          .object({
            /** `terminal`, `json`, `sarif`, `html`, `markdown` or `junit`. */
            format: z.string().min(1),
            /** The file written. */
            path: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    /**
     * After the run, a summary and the Markdown report to each: a webhook URL (Slack, Teams
     * workflows, or any JSON receiver; `slack:`/`teams:` force the shape) or `mailto:a@b`.
     */
    notify: z.array(z.string().min(1)).default([]),
    /** The SMTP server of `mailto:` notifications. STARTTLS is required unless `secure` or `allowInsecure`. */
    smtp: z
      .object({
        /** The SMTP server's host name. */
        host: z.string().min(1),
        /** Its port. Default 587. */
        port: positiveInt.max(65535).optional(),
        /** TLS from the first byte (port 465), rather than STARTTLS. */
        secure: z.boolean().optional(),
        /** The user to log in as, if the server asks. */
        user: z.string().optional(),
        /** That user's password: write `${VAR}` to read it from the environment rather than keep it in the file. */
        password: z.string().optional(),
        /** The sender address. Default `reliquat@localhost`. */
        from: z.string().optional(),
        /** Plain SMTP with no TLS at all: a relay on the same host only. */
        allowInsecure: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** Named sections merged over the rest with `--profile NAME` (e.g. `nightly`, `ci`). */
    profiles: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** A checkpoint file: a state for one run, resumed after a crash, deleted when the run completes. */
    checkpoint: z.string().min(1).optional(),
    /** A state file (SQLite): unchanged objects are carried forward, changes since the last run told. */
    state: z.string().min(1).optional(),
    /** A YAML file merged over `score/exposure-weights.yaml`. */
    scoreWeights: z.string().optional(),
    /** Date of the migration (YYYY-MM-DD): data untouched since then counts as left over. */
    migrationDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
      .optional(),
    /** A baseline file from `reliquat baseline create`: its findings are suppressed. */
    baseline: z.string().optional(),
    /** Suppressed buckets, prefixes and rules, each with a reason and an expiry date. */
    allowlist: z.array(allowEntrySchema).default([]),
    /** Add the Article 33 evidence section (facts a DPO needs to notify the CNIL). */
    evidence: z.boolean().default(false),
    /** S3 and S3-compatible hosts. */
    s3: z
      .object({
        /** An S3-compatible host (Ceph RGW, MinIO, OVHcloud, Scaleway…); default AWS. */
        endpoint: z.string().url().optional(),
        /** The region to start from; buckets in other regions are followed. Default `AWS_REGION`, else us-east-1. */
        region: z.string().optional(),
        /** Path-style URLs (`host/bucket/key`), which most S3-compatible hosts need. */
        forcePathStyle: z.boolean().optional(),
        /** Anonymous requests, as an outsider sees the buckets. */
        noSignRequest: z.boolean().optional(),
        /** Credentials; default the SDK's chain (environment, profile, IRSA, instance role). */
        accessKeyId: z.string().optional(),
        /** Goes with `accessKeyId`: write `${VAR}` to read it from the environment rather than keep it in the file. */
        secretAccessKey: z.string().optional(),
        /** Temporary credentials' session token. */
        sessionToken: z.string().optional(),
        /** One request's deadline, in ms; a request that hangs longer is retried. Default 30,000. */
        requestTimeoutMs: positiveInt.optional(),
        /** Attempts per request, with backoff, on throttling, resets and timeouts. Default 4. */
        maxAttempts: positiveInt.max(10).optional(),
        /** Keys per listing page (at most 1,000). Default 1,000. */
        pageSize: positiveInt.max(1000).optional(),
      })
      .strict()
      .default({}),
    /** Azure Blob Storage. Credentials: connection string, account key, SAS, anonymous, else DefaultAzureCredential. */
    azure: z
      .object({
        /** The blob service's URL (Azurite, a sovereign cloud); default `https://ACCOUNT.blob.core.windows.net`. */
        endpoint: z.string().url().optional(),
        /** A storage account's connection string. */
        connectionString: z.string().optional(),
        /** A storage account key: write `${VAR}` to read it from the environment rather than keep it in the file. */
        accountKey: z.string().optional(),
        /** A shared access signature (read and list are enough). */
        sasToken: z.string().optional(),
        /** Anonymous requests, as an outsider sees the containers. */
        anonymous: z.boolean().optional(),
        /** The subscription whose account settings (public access, shared keys) are read. */
        subscriptionId: z.string().optional(),
        /** Azure Resource Manager's URL, for a sovereign cloud or a test server. */
        managementEndpoint: z.string().url().optional(),
        /** Blobs per listing page (at most 5,000). Default 5,000. */
        pageSize: positiveInt.max(5000).optional(),
        /** One request's deadline, in ms; a request that hangs longer is retried. Default 30,000. */
        requestTimeoutMs: positiveInt.optional(),
        /** Attempts per request, with backoff, on throttling, resets and timeouts. Default 4. */
        maxAttempts: positiveInt.max(10).optional(),
      })
      .strict()
      .default({}),
    /** Google Cloud Storage. Credentials: a key file, anonymous, else Application Default Credentials. */
    gcs: z
      .object({
        /** The JSON API's URL (an emulator); default Google's. */
        apiEndpoint: z.string().url().optional(),
        /** The project whose buckets `gs://` lists. */
        projectId: z.string().optional(),
        /** A service account's key file. */
        keyFilename: z.string().optional(),
        /** An OAuth access token: write `${VAR}` to read it from the environment rather than keep it in the file. */
        accessToken: z.string().optional(),
        /** Anonymous requests, as an outsider sees the buckets. */
        anonymous: z.boolean().optional(),
        /** Objects per listing page (at most 1,000). Default 1,000. */
        pageSize: positiveInt.max(1000).optional(),
        /** One request's deadline, in ms; a request that hangs longer is retried. Default 30,000. */
        requestTimeoutMs: positiveInt.optional(),
        /** Attempts per request, with backoff, on throttling, resets and timeouts. Default 4. */
        maxAttempts: positiveInt.max(10).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
