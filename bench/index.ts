/**
 * `npm run bench`: every figure is printed next to a baseline measured in the same run.
 * Starts a local s3rver; runs the built CLI (`npm run bench` builds first).
 */
import { fileURLToPath } from "node:url";
import { startAzurite, startGcsEmulator } from "../src/demo/emulators.js";
import { startLocalS3 } from "../src/demo/s3rver.js";
import { startCeph } from "../test/helpers/ceph.js";
import { benchDetectSpeed } from "./detect-speed.js";
import { benchExhaustiveRss, benchFolderRss } from "./exhaustive-rss.js";
import { benchExtraction } from "./extract.js";
import { benchFaults } from "./faults.js";
import { benchListingAzure, benchListingGcs, benchListingS3, listingMemory, seedAzure } from "./listing.js";
import { benchObjectsRss } from "./objects-rss.js";
import { benchQuality, benchStructuredQuality } from "./quality.js";
import { benchScanRate } from "./s3-rate.js";
import { benchStartup } from "./startup.js";
import { benchState } from "./state.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
/** `BENCH_ONLY=2,6` runs only those figures (all by default). */
const only = process.env.BENCH_ONLY?.split(",");
const want = (...figures: number[]) => !only || figures.some((f) => only.includes(String(f)));

const s3 = await startLocalS3();
try {
  console.log("reliquat bench: local s3rver at", s3.endpoint);
  const rate = want(1) ? await benchScanRate(s3) : undefined;
  if (rate)
    console.log(
      `1. scan rate, 2,000 × 4 KiB objects, concurrency 16: reliquat ${rate.reliquat.toFixed(0)} obj/s, bare SDK GetObject loop ${rate.bare.toFixed(0)} obj/s → ${pct(rate.ratio)} of bare (goal ≥ 70%) ${verdict(rate.ratio >= 0.7)}`,
    );
  const rss = want(2) ? await benchExhaustiveRss(s3, [cli]) : undefined;
  if (rss)
    console.log(
      `2. --exhaustive on a 1 GiB object: peak RSS ${rss.peakMB.toFixed(0)} MB (goal ≤ 200 MB) ${verdict(rss.peakMB <= 200 && rss.code === 0)}; ${rss.seconds.toFixed(1)} s, ${rss.mbPerS.toFixed(0)} MB/s, exit ${rss.code}`,
    );
  const folder = want(2) ? await benchFolderRss([cli]) : undefined;
  if (folder)
    console.log(
      `2. --exhaustive on a folder of 30 lab exports (110 MB, 16 at a time): peak RSS ${folder.peakMB.toFixed(0)} MB (goal ≤ 200 MB) ${verdict(folder.peakMB <= 200 && folder.code === 0)}; ${folder.seconds.toFixed(1)} s, exit ${folder.code}`,
    );
  const ceph = want(11) ? await startCeph() : undefined;
  const others = ceph
    ? [
        {
          name: "Ceph RGW",
          endpoint: ceph.endpoint,
          credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey },
        },
      ]
    : [];
  const state = want(11, 12, 13) ? await benchState(s3, others).finally(() => ceph?.stop()) : undefined;
  if (state) {
    const { rerun: reruns, resume, overhead } = state;
    for (const rerun of reruns) {
      const share = rerun.rerunS / rerun.firstS;
      const beyond = (rerun.rerunS - rerun.listS) / rerun.firstS;
      console.log(
        `11. rerun of an unchanged ${rerun.objects.toLocaleString("en-US")}-object bucket with --state on ${rerun.server}: ${rerun.rerunS.toFixed(2)} s vs ${rerun.firstS.toFixed(2)} s for the first run → ${pct(share)} (goal ≤ 5%) ${verdict(share <= 0.05)}; a bare SDK listing of the bucket alone takes ${rerun.listS.toFixed(2)} s (${pct(rerun.listS / rerun.firstS)} of the first run), the rerun's time beyond it ${pct(beyond)}; ${rerun.reads} object reads (goal 0) ${verdict(rerun.reads === 0)}; state file ${rerun.stateMB.toFixed(1)} MB → ${((rerun.stateMB * 100_000) / rerun.objects).toFixed(0)} MB per 100,000 objects`,
      );
    }
    if (!ceph && want(11)) console.log("11. on Ceph RGW: not measured, Ceph is not installed (npm run setup:system)");
    console.log(
      `12. kill -9 after ${resume.killedAt} of ${resume.objects} objects, then rerun: ${resume.readTwice} object(s) read twice (goal ≤ 2 × concurrency = ${2 * resume.concurrency}) ${verdict(resume.readTwice <= 2 * resume.concurrency)}`,
    );
    console.log(
      `13. scan rate with a fresh --state: ${overhead.withState.toFixed(0)} obj/s vs ${overhead.without.toFixed(0)} obj/s without → ${pct(overhead.ratio)} (goal ≥ 90%) ${verdict(overhead.ratio >= 0.9)}`,
    );
  }
} finally {
  await s3.stop();
}

if (want(6, 7)) {
  const [azure, gcs, s3b] = await Promise.all([startAzurite(), startGcsEmulator(), startLocalS3()]);
  try {
    const keys = Number(process.env.BENCH_LIST_KEYS ?? 10_000);
    for (const f of [
      await benchListingS3(s3b, keys),
      await benchListingAzure(azure, keys),
      await benchListingGcs(gcs, keys),
    ]) {
      console.log(
        `6. listing ${f.keys} keys, ${f.provider}: reliquat ${f.reliquat.toFixed(0)} keys/s, bare SDK loop ${f.bare.toFixed(0)} keys/s → ${pct(f.ratio)} (goal ≥ 90%) ${verdict(f.ratio >= 0.9)}`,
      );
    }
    // Tenfold on Azurite: keys / 10 → keys, the container of figure 6 being the large one
    // (100,000 keys would take Azurite's in-memory store over 10 minutes to seed).
    await seedAzure(azure, "bench-rss-small", Math.round(keys / 10));
    const small = await listingMemory(azure, "bench-rss-small");
    const large = await listingMemory(azure, "bench-list");
    const growth = large.liveMB / small.liveMB;
    console.log(
      `7. listing memory on Azurite, live heap after GC: ${small.liveMB.toFixed(1)} MB for ${small.keys} keys, ${large.liveMB.toFixed(1)} MB for ${large.keys} keys → ×${growth.toFixed(2)} for 10× the keys (goal: constant, ≤ ×1.2) ${verdict(growth <= 1.2)}; peak RSS ${small.rssMB.toFixed(0)} → ${large.rssMB.toFixed(0)} MB`,
    );
  } finally {
    await Promise.all([azure.stop(), gcs.stop(), s3b.stop()]);
  }
}

const speed = want(3, 4) ? await benchDetectSpeed(cli) : undefined;
if (speed) {
  console.log(
    `3. detection on a ${speed.sizeMB} MB CP1252 CSV: reliquat ${Number(speed.reliquatMBperCpuS).toFixed(1)} MB per CPU-second, ripgrep (same NIR regex and term list) ${Number(speed.ripgrepMBperCpuS).toFixed(0)} → ${pct(Number(speed.ratio))} of ripgrep (goal ≥ 1×, aiming for 2×) ${verdict(Number(speed.ratio) >= 1)} ${speed.note}`,
  );
  console.log(
    `   against ripgrep given every search the automaton runs (${speed.searches} searches: dates, blood groups, the accent-folded dictionary, context words; look-arounds dropped as the automaton drops them): ripgrep ${Number(speed.ripgrepAllMBperCpuS).toFixed(0)} MB per CPU-second → reliquat at ${pct(Number(speed.ratioAll))} of it`,
  );
  console.log(
    `   ceiling on V8: a bare loop with the same NIR regex + key check and term list, nothing else, ${Number(speed.bareMBperCpuS).toFixed(0)} MB per CPU-second → ${pct(Number(speed.bareRatio))} of ripgrep; reliquat runs at ${pct(Number(speed.reliquatMBperCpuS) / Number(speed.bareMBperCpuS))} of that loop`,
  );
  console.log(
    `4. detection workers: ${Number(speed.wall1).toFixed(1)} s with 1, ${Number(speed.wall2).toFixed(1)} s with 2 → ${Number(speed.speedup).toFixed(2)}× (goal ≥ 1.7×) ${verdict(Number(speed.speedup) >= 1.7)}`,
  );
}
if (want(8))
  for (const f of await benchExtraction()) {
    const goal = f.format === "gzip" || f.format === "zip" ? ` (goal ≥ 50%) ${verdict(f.ratio >= 0.5)}` : "";
    console.log(
      `8. extraction, ${f.format} (${f.inMB.toFixed(1)} MB in, ${f.outMB.toFixed(1)} MB of text out): reliquat ${f.mbPerS.toFixed(0)} MB/s, ${f.baseline} ${f.baselineMbPerS.toFixed(0)} MB/s → ${pct(f.ratio)}${goal}; peak RSS ${f.peakRssMB.toFixed(0)} MB`,
    );
  }
const quality = want(5)
  ? { rows: [...(await benchQuality(300)).rows, ...(await benchStructuredQuality()).rows] }
  : { rows: [] };
for (const r of quality.rows) {
  const goal = r.label.startsWith("nir")
    ? ` (goal 100% / ≥ 99.5%) ${verdict(r.precision === 1 && r.recall >= 0.995)}`
    : "";
  console.log(
    `5. quality, ${r.label}: precision ${(r.precision * 100).toFixed(2)}%, recall ${(r.recall * 100).toFixed(2)}%${goal}`,
  );
}
if (want(9)) {
  const rows = await benchObjectsRss([cli]);
  const base = rows.filter((r) => r.objects === 1000);
  for (const r of rows.filter((x) => x.objects !== 1000)) {
    const fixed = base.find((b) => b.output === r.output)?.peakMB ?? 0;
    const perObject = ((r.peakMB - fixed) * 1024 * 1024) / r.objects;
    const goal = r.objects >= 1_000_000 ? ` (goal ≤ 512 MB) ${verdict(r.peakMB <= 512 && r.code === 0)}` : "";
    console.log(
      `9. ${r.objects.toLocaleString("en-US")} objects, ${r.output} output: peak RSS ${r.peakMB.toFixed(0)} MB vs ${fixed.toFixed(0)} MB for 1,000 objects in the same run → ${perObject.toFixed(0)} bytes per object${goal}; ${r.seconds.toFixed(0)} s, exit ${r.code}`,
    );
  }
}
if (want(10)) {
  console.log("10. scans through the fault proxy (500 objects, 50 NIRs), each faulty run against the clean one:");
  const rows = await benchFaults((line) => console.log(`    ${line}`));
  for (const provider of ["s3", "azure", "gcs"]) {
    const clean = rows.find((r) => r.provider === provider && r.scenario === "clean");
    const throttled = rows.filter((r) => r.provider === provider && /^30%/.test(r.scenario));
    if (!clean || throttled.length === 0) continue;
    const slowest = Math.max(...throttled.map((r) => r.seconds)) / clean.seconds;
    const equal = throttled.every((r) => r.sameAsClean && r.exit === "0");
    console.log(
      `10. ${provider} under 30% throttling: findings equal to the clean run ${equal ? "yes" : "NO"}, slowest ${slowest.toFixed(1)}× the clean time (goal: equal, ≤ 5×) ${verdict(equal && slowest <= 5)}`,
    );
  }
}

if (want(14)) {
  const s = await benchStartup(cli);
  const ratio = s.help / s.node;
  console.log(
    `14. start-up, CPU seconds of the whole process (median of 7): reliquat --help ${s.help.toFixed(2)} s vs node -e 0 ${s.node.toFixed(2)} s → ${ratio.toFixed(1)}× (goal ≤ 3×) ${verdict(ratio <= 3)}; a one-file folder scan ${s.oneFile.toFixed(2)} s (goal ≤ 0.25 s) ${verdict(s.oneFile <= 0.25)}`,
  );
}
