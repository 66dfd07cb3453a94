import type { AzureOptions } from "./azure.js";
import { createFsProvider, fsBucket } from "./fs.js";
import type { GcsOptions } from "./gcs.js";
import type { S3Options } from "./s3.js";
import { type BucketRef, ProviderError, type StorageProvider } from "./types.js";

/** Settings every factory may read; each provider takes its own section. */
export interface ProviderSettings {
  s3?: S3Options;
  azure?: AzureOptions;
  gcs?: GcsOptions;
}

/** A parsed target: which provider, and either one bucket or every bucket it can list. */
export interface Target {
  /** The text the user gave, for messages. */
  input: string;
  provider: string;
  /** One bucket, or `undefined` for "every bucket the credentials can list". */
  bucket?: BucketRef;
  prefix?: string;
  /** Where to list buckets when `bucket` is undefined: an Azure account, a GCS project. */
  scope?: string;
}

interface ProviderEntry {
  /** URL schemes that select this provider; plain paths select `file`. */
  schemes: string[];
  /** Loads the provider's module on first use: each cloud SDK costs 100–250 ms to import. */
  create(settings: ProviderSettings): Promise<StorageProvider>;
  parse(input: string): Omit<Target, "input">;
}

/** Provider name → entry. Adding a provider is one file plus one line here. */
const registry: Record<string, ProviderEntry> = {
  fs: {
    schemes: ["file"],
    create: async () => createFsProvider(),
    parse: (i) => ({ provider: "fs", bucket: fsBucket(i) }),
  },
  s3: {
    schemes: ["s3"],
    create: async (s) => (await import("./s3.js")).createS3Provider(s.s3),
    parse: parseBucketUrl("s3"),
  },
  azure: {
    schemes: ["azure"],
    create: async (s) => (await import("./azure.js")).createAzureProvider(s.azure),
    parse: parseAzureUrl,
  },
  gcs: {
    schemes: ["gs", "gcs"],
    create: async (s) => (await import("./gcs.js")).createGcsProvider(s.gcs),
    parse: parseGcsUrl,
  },
};

/**
 * Parses `s3://bucket/prefix`, `s3://`, `file:///path` or a plain path.
 * @throws {ProviderError} `invalid-target` for an unknown scheme, and for an empty or blank
 * target or a bare `file://`: `""` would otherwise scan the working directory (an unset CI variable).
 */
export function parseTarget(input: string): Target {
  if (/^\s*(file:\/\/)?\s*$/i.test(input)) {
    const message = `empty target${input ? ` "${input}"` : ""}: give s3://bucket[/prefix], azure://ACCOUNT[/CONTAINER], gs://BUCKET or a folder path (an unset variable?)`;
    throw new ProviderError("cli", "invalid-target", message);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input)?.[1]?.toLowerCase();
  const entry = Object.values(registry).find((e) => e.schemes.includes(scheme ?? "file"));
  if (!entry) {
    const known = Object.values(registry).flatMap((e) => e.schemes.map((s) => `${s}://`));
    throw new ProviderError(
      "cli",
      "invalid-target",
      `unknown target scheme "${scheme}://" in "${input}" (known: ${known.join(", ")}, or a folder path)`,
    );
  }
  return { input, ...entry.parse(input) };
}

/** Creates the provider for a parsed target. */
export async function createProvider(provider: string, settings: ProviderSettings): Promise<StorageProvider> {
  const found = registry[provider];
  if (!found) throw new ProviderError("cli", "invalid-target", `unknown provider "${provider}"`);
  return found.create(settings);
}

function parseBucketUrl(provider: string) {
  return (input: string): Omit<Target, "input"> => {
    const rest = input.slice(input.indexOf("://") + 3);
    const slash = rest.indexOf("/");
    const name = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = slash < 0 ? "" : rest.slice(slash + 1);
    if (!name) return { provider };
    return { provider, bucket: { provider, name, url: `${provider}://${name}` }, prefix: prefix || undefined };
  };
}

/** `azure://ACCOUNT/CONTAINER[/prefix]`, or `azure://ACCOUNT` for every container of the account. */
function parseAzureUrl(input: string): Omit<Target, "input"> {
  const [account = "", container = "", ...rest] = input.slice("azure://".length).split("/");
  if (!account)
    throw new ProviderError(
      "cli",
      "invalid-target",
      `"${input}": give an account, azure://ACCOUNT[/CONTAINER[/prefix]]`,
    );
  if (!container) return { provider: "azure", scope: account };
  const name = `${account}/${container}`;
  return {
    provider: "azure",
    bucket: { provider: "azure", name, url: `azure://${name}` },
    prefix: rest.join("/") || undefined,
  };
}

/** `gs://BUCKET[/prefix]` (or `gcs://`); `gs://` lists the buckets of the configured project. */
function parseGcsUrl(input: string): Omit<Target, "input"> {
  const target = parseBucketUrl("gcs")(input.replace(/^gcs:\/\//i, "gs://"));
  if (target.bucket) target.bucket.url = `gs://${target.bucket.name}`;
  return target;
}
