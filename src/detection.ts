import { randomBytes, randomInt } from "node:crypto";
import type { Config } from "./config/schema.js";
import { blockLength } from "./extract/text-blocks.js";
import type { BlockRunner } from "./rules/engine.js";
import { detectBlock } from "./rules/engine.js";
import type { Hashers } from "./rules/finding.js";
import { createDistinctHasher, createFingerprinter } from "./rules/fingerprint.js";
import { DetectionPool } from "./rules/pool.js";
import type { Rule } from "./rules/types.js";

/** Blocks smaller than this run inline: their share of a worker round trip would cost more than it saves. */
const WORKER_MIN_BLOCK = 16 * 1024;
/** Reads for workers: a few blocks per read, which the pool sends in one message. */
const WORKER_READ = 256 * 1024;

export interface Detection {
  hashers: Hashers;
  runner: BlockRunner;
  /**
   * Preferred bytes per read for this runner: larger for workers (one read's blocks go in one
   * message). Blocks are the same size either way, so that reports never depend on `--workers`.
   */
  readSize?: number;
  close(): Promise<void>;
}

/**
 * The scan's detection set-up: one fingerprint key and one distinct-hash seed for the run (or the state's)
 * (shared with the workers, so that results merge), and a pool of `config.workers` threads.
 */
export function createDetection(config: Config, rules: Rule[], ruleDirs: string[], seed?: number): Detection {
  const fingerprintKey =
    config.fingerprintKey ?? process.env.RELIQUAT_FINGERPRINT_KEY ?? randomBytes(32).toString("hex");
  // A state store gives a seed derived from its key: persons then count once across nights.
  const distinctSeed = seed ?? randomInt(2 ** 31);
  const hashers = { fingerprint: createFingerprinter(fingerprintKey), distinct: createDistinctHasher(distinctSeed) };
  const inline: BlockRunner = async (block, layout) => detectBlock(rules, hashers, block, layout);
  if (config.workers === 0) return { hashers, runner: inline, close: async () => {} };
  const pool = new DetectionPool(config.workers, { ruleDirs, fingerprintKey, distinctSeed });
  const remote = pool.runner();
  return {
    hashers,
    runner: (block, layout) => (blockLength(block) >= WORKER_MIN_BLOCK ? remote(block, layout) : inline(block, layout)),
    readSize: WORKER_READ,
    close: () => pool.close(),
  };
}
