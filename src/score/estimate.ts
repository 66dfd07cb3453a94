import { thousands } from "../numbers.js";

/** An extrapolated count with its 95% confidence interval. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
}

/**
 * Estimates a bucket total from the objects read, as a simple random sample of the objects
 * listed: total ≈ N·ȳ, with a 95% interval N·1.96·s/√n·√(1 − n/N) (finite population
 * correction, so reading every object gives a zero-width interval). Running mean and variance
 * (Welford), so memory stays constant whatever the object count.
 */
export class SampleEstimator {
  private n = 0;
  private mean = 0;
  private m2 = 0;

  /** One object read; `value` is already scaled to the whole object when only its head was read. */
  add(value: number): void {
    this.n++;
    const delta = value - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (value - this.mean);
  }

  get count(): number {
    return this.n;
  }

  /**
   * The estimate for `population` objects. `floor` is what was observed for sure (the interval
   * never goes below it); `shrink` scales for duplicates across objects (distinct ÷ summed).
   */
  estimate(population: number, floor: number, shrink = 1): Estimate {
    const N = Math.max(population, this.n);
    if (this.n === 0) return { value: floor, low: floor, high: floor };
    const value = Math.max(floor, N * this.mean * shrink);
    if (this.n < 2) return { value: Math.round(value), low: floor, high: Math.round(value) };
    const sd = Math.sqrt(this.m2 / (this.n - 1));
    const half = 1.96 * N * (sd / Math.sqrt(this.n)) * Math.sqrt(Math.max(0, 1 - this.n / N)) * shrink;
    return {
      value: Math.round(value),
      low: Math.round(Math.max(floor, value - half)),
      high: Math.round(value + half),
    };
  }
}

/** "≈ 48,000 persons (95% CI 41k–55k)" style numbers. */
export function compact(n: number): string {
  if (n < 10_000) return thousands(n);
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}
