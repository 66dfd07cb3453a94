import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";
import { ConfigError } from "../config/errors.js";
import type { Report } from "../report/types.js";

/** The baseline file: the finding ids of an accepted scan. It holds no value and no full key. */
const baselineSchema = z.object({
  reliquat: z.literal("baseline"),
  version: z.literal(1),
  createdAt: z.string(),
  entries: z.array(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), rule: z.string(), object: z.string() })),
});

export type Baseline = z.infer<typeof baselineSchema>;

/** Every finding of `report` as a baseline entry (`object` is the redacted URL, for humans). */
export function baselineOf(report: Report): Baseline {
  const entries = report.buckets.flatMap((b) =>
    [...b.objects.withFindings()].flatMap((o) => o.findings.map((f) => ({ id: f.id, rule: f.ruleId, object: o.url }))),
  );
  entries.sort((a, b) => a.object.localeCompare(b.object) || a.rule.localeCompare(b.rule));
  return { reliquat: "baseline", version: 1, createdAt: report.finishedAt, entries };
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  await writeFile(file, `${JSON.stringify(baseline, null, 2)}\n`);
}

/** Reads and validates a baseline; a missing or malformed file is a {@link ConfigError} (exit 2). */
export async function readBaseline(file: string): Promise<Baseline> {
  const text = await readFile(file, "utf8").catch((cause) => {
    throw new ConfigError(`cannot read baseline "${file}": ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError(`${file}: not a JSON baseline (create one with \`reliquat baseline create\`)`);
  }
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${file}: field "${issue?.path.join(".") || "(root)"}": ${issue?.message}`);
  }
  return parsed.data;
}
