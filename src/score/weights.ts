import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ConfigError } from "../config/errors.js";
import { packagePath } from "../package-root.js";
import { yamlData } from "../yaml-data.js";

/** The documented default weights, shipped with the package. */
export const DEFAULT_WEIGHTS_FILE = packagePath("score", "exposure-weights.yaml");

const points = z.number().min(0).max(100);

/** Schema of `score/exposure-weights.yaml`; every number is points out of 100. */
export const weightsSchema = z
  .object({
    version: z.literal(1),
    levels: z.object({ critical: points, high: points, medium: points, low: points }).strict(),
    sensitivity: z
      .object({
        max: points,
        patientRecords: points,
        nationalId: points,
        identity: points,
        financial: points,
        health: points,
        contact: points,
        sensitiveGroups: z.object({ points, groups: z.array(z.string()) }).strict(),
      })
      .strict(),
    volume: z.object({ max: points, perTenfold: points }).strict(),
    accessibility: z
      .object({
        max: points,
        publicRead: points,
        publicList: points,
        authenticatedUsers: points,
        crossAccount: points,
        unknown: points,
      })
      .strict(),
    staleness: z
      .object({
        max: points,
        days: z.array(z.object({ over: z.number().int().nonnegative(), points }).strict()),
        noLifecycle: points,
        noOwnerTag: points,
        suspiciousName: points,
        names: z.array(z.string().min(2)),
        residue: points,
      })
      .strict(),
    protection: z.object({ max: points, noEncryption: points, versionedDeletes: points }).strict(),
  })
  .strict()
  .refine((w) => w.levels.critical >= w.levels.high && w.levels.high >= w.levels.medium, {
    message: "levels must decrease: critical ≥ high ≥ medium ≥ low",
    path: ["levels"],
  });

export type ScoreWeights = z.infer<typeof weightsSchema>;

/**
 * The default weights, with `overrideFile` merged over them (objects merge key by key, lists
 * are replaced). Throws {@link ConfigError} naming the file and the field on a bad value.
 */
export async function loadWeights(overrideFile?: string): Promise<ScoreWeights> {
  const defaults = await readFile(DEFAULT_WEIGHTS_FILE, "utf8");
  const base = (await yamlData(defaults, DEFAULT_WEIGHTS_FILE)) as Record<string, unknown>;
  let merged: unknown = base;
  if (overrideFile) {
    const text = await readFile(overrideFile, "utf8").catch((cause) => {
      throw new ConfigError(`cannot read score weights "${overrideFile}": ${(cause as Error).message}`, { cause });
    });
    let override: unknown;
    try {
      override = (await yamlData(text, overrideFile)) ?? {};
    } catch (cause) {
      throw new ConfigError(`${overrideFile}: not valid YAML: ${(cause as Error).message}`, { cause });
    }
    merged = mergeDeep(base, override);
  }
  const parsed = weightsSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(
    `${overrideFile ?? DEFAULT_WEIGHTS_FILE}: field "${issue?.path.join(".") || "(root)"}": ${issue?.message}`,
  );
}

function mergeDeep(base: unknown, override: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = mergeDeep(base[k], v);
  return out;
}
