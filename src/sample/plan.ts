import type { ObjectRef } from "../providers/types.js";

/** Storage classes whose objects cannot be read without a restore request. */
const ARCHIVED = new Set(["GLACIER", "DEEP_ARCHIVE", "Archive"]);

export type ReadPlan =
  | { kind: "read"; offset: number; length: number; partialReason?: string }
  | { kind: "skip"; reason: string };

/** Shared byte budget for `--max-bytes`; 0 means unlimited. */
export class ByteBudget {
  private used = 0;
  constructor(private readonly limit: number) {}
  /** Reserves up to `wanted` bytes; returns how many were granted. */
  take(wanted: number): number {
    if (this.limit === 0) return wanted;
    const granted = Math.max(0, Math.min(wanted, this.limit - this.used));
    this.used += granted;
    return granted;
  }
}

export interface PlanOptions {
  exhaustive: boolean;
  sampleBytes: number;
}

/** Decides which bytes of an object to read: the cheapest checks (metadata) come first. */
export function planRead(obj: ObjectRef, options: PlanOptions, budget: ByteBudget): ReadPlan {
  if (obj.storageClass && ARCHIVED.has(obj.storageClass)) {
    return { kind: "skip", reason: `archived storage class (${obj.storageClass}): needs a restore` };
  }
  const wanted = options.exhaustive ? obj.size : Math.min(obj.size, options.sampleBytes);
  const granted = budget.take(wanted);
  if (wanted > 0 && granted === 0) return { kind: "skip", reason: "byte budget (--max-bytes) spent" };
  if (granted === obj.size) return { kind: "read", offset: 0, length: granted };
  const why = granted < wanted ? "byte budget (--max-bytes): " : "";
  return {
    kind: "read",
    offset: 0,
    length: granted,
    partialReason: `${why}head ${formatBytes(granted)} of ${formatBytes(obj.size)}`,
  };
}

/** `1048576` → `1 MiB`, `3435973837` → `3.2 GiB`. */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${units[unit]}`;
}
