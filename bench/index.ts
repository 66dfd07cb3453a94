/**
 * `npm run bench`: every figure is printed next to a baseline measured in the same run.
 * Runs against a local s3rver started here; needs `npm run build` first (done by the script).
 */
import { fileURLToPath } from "node:url";
import { startLocalS3 } from "../src/demo/s3rver.js";
import { benchExhaustiveRss } from "./exhaustive-rss.js";
import { benchScanRate } from "./s3-rate.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const cli = [fileURLToPath(new URL("../dist/cli/main.js", import.meta.url))];
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

const s3 = await startLocalS3();
try {
  console.log("reliquat bench: local s3rver at", s3.endpoint);
  const rate = await benchScanRate(s3);
  console.log(
    `1. scan rate, 2,000 × 4 KiB objects, concurrency 16: reliquat ${rate.reliquat.toFixed(0)} obj/s, bare SDK GetObject loop ${rate.bare.toFixed(0)} obj/s → ${(rate.ratio * 100).toFixed(0)}% of bare (goal ≥ 70%) ${verdict(rate.ratio >= 0.7)}`,
  );
  const rss = await benchExhaustiveRss(s3, cli);
  console.log(
    `2. --exhaustive on a 1 GiB object: peak RSS ${rss.peakMB.toFixed(0)} MB (goal ≤ 200 MB) ${verdict(rss.peakMB <= 200 && rss.code === 0)}; ${rss.seconds.toFixed(1)} s, ${rss.mbPerS.toFixed(0)} MB/s, exit ${rss.code}`,
  );
} finally {
  await s3.stop();
}
