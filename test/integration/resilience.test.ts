/**
 * The scan under faults, through the fault proxy in front of the real s3rver, Azurite and GCS
 * emulator: throttling (503 and 429), connection resets before the answer and mid-body, slow
 * answers, a hung read, a hung listing page and a server killed mid-scan. Each faulty run's
 * findings are compared with the clean run's, and the proxy's counters prove each fault was
 * injected (a run that met no fault proves nothing).
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { BlobServiceClient } from "@azure/storage-blob";
import { Storage } from "@google-cloud/storage";
import pLimit from "p-limit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { seededRandom, syntheticNir } from "../../src/demo/synthetic.js";
import { type ProviderSettings, parseTarget } from "../../src/providers/index.js";
import type { Report } from "../../src/report/types.js";
import { BUILTIN_RULES_DIR } from "../../src/rules/load.js";
import { scan } from "../../src/scan.js";
import {
  type FaultPolicy,
  type FaultProxy,
  nth,
  once,
  type Protocol,
  startFaultProxy,
} from "../helpers/fault-proxy.js";
import { adminClient } from "../helpers/s3.js";
import { rules } from "../helpers/scan.js";

const servers = inject("servers");
const OBJECTS = 60;
const PAGE = 20;

/** 60 objects; every 5th holds 2 NIRs (24 persons in all) after 8 KiB of lab lines, so a mid-body reset cuts before them. */
function corpus(): { key: string; body: Buffer }[] {
  let n = 0;
  const filler = `analyse;valeur\n${"glycemie;5,4 mmol/l\n".repeat(420)}`;
  return Array.from({ length: OBJECTS }, (_, i) => {
    const rows = i % 5 === 0 ? [1, 2].map(() => `Martin;${syntheticNir(seededRandom(++n))};bilan`).join("\n") : "";
    return {
      key: `exports/${String(i).padStart(3, "0")}.csv`,
      body: Buffer.from(`${filler}nom;num_secu;x\n${rows}\n`),
    };
  });
}

interface Target {
  protocol: Protocol;
  proxy: FaultProxy;
  target: string;
  settings: (timeoutMs: number, maxAttempts?: number) => ProviderSettings;
}

async function seed(protocol: Protocol, name: string): Promise<Target> {
  const objects = corpus();
  const limit = pLimit(8);
  if (protocol === "s3") {
    const s3 = servers.s3rver;
    const admin = adminClient(s3);
    await admin.send(new CreateBucketCommand({ Bucket: name }));
    await Promise.all(
      objects.map((o) => limit(() => admin.send(new PutObjectCommand({ Bucket: name, Key: o.key, Body: o.body })))),
    );
    admin.destroy();
    const proxy = await startFaultProxy(s3.endpoint, "s3");
    const credentials = { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
    return {
      protocol,
      proxy,
      target: `s3://${name}`,
      settings: (t, a) => ({
        s3: { endpoint: proxy.endpoint, credentials, pageSize: PAGE, requestTimeoutMs: t, maxAttempts: a },
      }),
    };
  }
  if (protocol === "azure") {
    const { connectionString, endpoint } = servers.azurite;
    const container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(name);
    await container.create();
    await Promise.all(objects.map((o) => limit(() => container.getBlockBlobClient(o.key).uploadData(o.body))));
    const proxy = await startFaultProxy(endpoint, "azure");
    const viaProxy = connectionString.replace(/BlobEndpoint=[^;]+/, `BlobEndpoint=${proxy.endpoint}`);
    return {
      protocol,
      proxy,
      target: `azure://devstoreaccount1/${name}`,
      settings: (t, a) => ({
        azure: { connectionString: viaProxy, pageSize: PAGE, requestTimeoutMs: t, maxAttempts: a },
      }),
    };
  }
  const bucket = new Storage({ apiEndpoint: servers.gcs.endpoint, projectId: "reliquat-demo" }).bucket(name);
  await Promise.all(objects.map((o) => limit(() => bucket.file(o.key).save(o.body, { resumable: false }))));
  const proxy = await startFaultProxy(servers.gcs.endpoint, "gcs");
  return {
    protocol,
    proxy,
    target: `gs://${name}`,
    settings: (t, a) => ({
      gcs: {
        apiEndpoint: proxy.endpoint,
        projectId: "reliquat-demo",
        pageSize: PAGE,
        requestTimeoutMs: t,
        maxAttempts: a,
      },
    }),
  };
}

async function scanVia(t: Target, policy: FaultPolicy, timeoutMs = 30_000, maxAttempts?: number) {
  t.proxy.set(policy);
  const started = performance.now();
  const report = await scan({
    targets: [parseTarget(t.target)],
    config: { ...parseConfig({}, "faults"), failOn: "never" },
    rules,
    ruleDirs: [BUILTIN_RULES_DIR],
    settings: t.settings(timeoutMs, maxAttempts),
  });
  return { report, seconds: (performance.now() - started) / 1000, stats: t.proxy.stats() };
}

/** What must not change under faults: each object's status and persons, and the bucket's totals. */
function outcome(report: Report) {
  const b = report.buckets[0];
  return {
    errors: report.errors,
    coverage: b?.coverage,
    persons: b?.totals.distinctPersons,
    findings: b?.totals.findings,
    objects: [...(b?.objects ?? [])].map((o) => `${o.key} ${o.coverage} ${o.distinctPersons} ${o.reason ?? ""}`),
  };
}

describe.each(["s3", "azure", "gcs"] as const)("scanning %s through faults", (protocol) => {
  let t: Target;
  let clean: ReturnType<typeof outcome>;
  let cleanSeconds: number;
  let cleanConnections: number;
  beforeAll(async () => {
    t = await seed(protocol, `res-${randomBytes(5).toString("hex")}`);
    const run = await scanVia(t, {});
    clean = outcome(run.report);
    cleanSeconds = run.seconds;
    cleanConnections = run.stats.connections;
  });
  afterAll(() => t.proxy.close());

  it("the clean run reads every object and finds the 24 persons", () => {
    expect(clean.coverage).toMatchObject({ listed: OBJECTS, scanned: OBJECTS, complete: true });
    expect(clean.persons).toBe(24);
  });

  it("keeps its connections: a read to the object's end gives its socket back to the pool", () => {
    // 16 concurrent reads, a few listing and posture calls: a socket destroyed after each read
    // (a body abandoned at its last byte) would open one connection per object.
    expect(cleanConnections).toBeLessThanOrEqual(parseConfig({}, "faults").concurrency + 8);
  });

  it.each([
    ["30% 503 throttling", { seed: 1, throttle: 0.3, throttleStatus: 503 }, "throttle"],
    ["30% 429 throttling", { seed: 2, throttle: 0.3, throttleStatus: 429 }, "throttle"],
    ["10% resets, before the answer and mid-body", { seed: 3, reset: 0.1 }, "reset-mid-body"],
  ] as const)("finds the same under %s, within 5× the clean time", async (_, policy, fault) => {
    // Resets count against attempts: 6 make a lost object a one-in-a-million event here (4, the
    // default, one in 10,000). GCS's client (node-fetch 2) does not always report a reset mid-body
    // and stalls: a 2 s deadline cuts it (the default is 30 s).
    const resets = "reset" in policy;
    const run = await scanVia(t, policy, resets ? 2000 : 30_000, resets ? 6 : undefined);
    expect(run.stats.faults[fault]).toBeGreaterThan(0);
    expect(outcome(run.report)).toEqual(clean);
    expect(run.seconds).toBeLessThan(Math.max(5 * cleanSeconds, 10));
  });

  it("retries a hung read at its deadline and finds the same", async () => {
    const run = await scanVia(t, { hang: nth("read", 7) }, 1500);
    expect(run.stats.faults.hang).toBe(1);
    expect(outcome(run.report)).toEqual(clean);
  });

  it("retries a hung listing page at its deadline and lists every object once", async () => {
    const run = await scanVia(t, { hang: once((r) => r.kind === "list" && r.nextPage) }, 1500);
    expect(run.stats.faults.hang).toBe(1);
    expect(outcome(run.report)).toEqual(clean);
  });

  it("reads a body that stalls midway again from where it stopped", async () => {
    const run = await scanVia(t, { hangBody: nth("read", 3) }, 1500);
    expect(run.stats.faults["hang-body"]).toBe(1);
    expect(outcome(run.report)).toEqual(clean);
  });

  it("ends promptly when the server is killed mid-scan, every object with a status naming the cause", async () => {
    const run = await scanVia(t, { kill: nth("read", 30) }, 1500);
    await t.proxy.revive();
    expect(run.stats.faults.kill).toBe(1);
    const b = run.report.buckets[0];
    const objects = [...(b?.objects ?? [])];
    expect(b?.coverage.complete).toBe(false);
    // Every listed object is either read whole before the kill, or failed with the cause named.
    const failed = objects.filter((o) => o.error);
    expect(failed.length).toBeGreaterThan(0);
    expect(objects.filter((o) => !o.error).every((o) => o.coverage === "scanned")).toBe(true);
    expect(objects).toHaveLength(b?.coverage.listed ?? -1);
    for (const o of failed) expect(o.reason).toMatch(/connection (refused|reset), (ECONNREFUSED|ECONNRESET)/);
    expect(run.seconds).toBeLessThan(60);
  });
});

describe("an object whose every read is throttled past its time budget", () => {
  it("says it was throttled, and how many times, rather than only that time ran out", async () => {
    const t = await seed("s3", `thr-${randomBytes(5).toString("hex")}`);
    try {
      t.proxy.set({ throttleWhen: (r) => r.kind === "read" && r.url.includes("exports/001.csv") });
      const report = await scan({
        targets: [parseTarget(t.target)],
        config: { ...parseConfig({}, "faults"), failOn: "never", objectTimeoutMs: 2000 },
        rules,
        ruleDirs: [BUILTIN_RULES_DIR],
        settings: t.settings(30_000),
      });
      const object = report.buckets[0]?.objects.find((o) => o.key === "exports/001.csv");
      expect(object).toMatchObject({ coverage: "skipped", error: true });
      expect(object?.reason).toMatch(
        /^read-error: reading "exports\/001.csv" failed: throttled by the server \(SlowDown, HTTP 503, \d+ attempts\); gave up: timeout after 2\d{3} ms$/,
      );
      expect(report.buckets[0]?.coverage.scanned).toBe(OBJECTS - 1);
    } finally {
      await t.proxy.close();
    }
  });
});

describe("an account-level endpoint that never answers", () => {
  it("leaves the account's Block Public Access unknown after its deadline, and the scan goes on", async () => {
    // Accepts connections and never answers: STS and S3 Control as a dead private endpoint.
    const held = new Set<import("node:net").Socket>();
    const silent = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const hung = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const t = await seed("s3", `acct-${randomBytes(5).toString("hex")}`);
    try {
      const started = performance.now();
      const settings = t.settings(1000, 2);
      const report = await scan({
        targets: [parseTarget(t.target)],
        config: { ...parseConfig({}, "faults"), failOn: "never" },
        rules,
        ruleDirs: [BUILTIN_RULES_DIR],
        settings: { s3: { ...settings.s3, accountEndpoints: { sts: hung, control: hung } } },
      });
      expect(report.buckets[0]?.coverage).toMatchObject({ listed: OBJECTS, scanned: OBJECTS });
      expect(report.buckets[0]?.posture.notes.join("\n")).toMatch(
        /Block Public Access \(account\): unknown \(no answer within 1000 ms\)/,
      );
      expect(performance.now() - started).toBeLessThan(20_000);
    } finally {
      await t.proxy.close();
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });
});

describe("slow answers", () => {
  it("are waited for: 2 s on a quarter of the requests changes nothing but the time", async () => {
    const t = await seed("s3", `slow-${randomBytes(5).toString("hex")}`);
    try {
      const reference = outcome((await scanVia(t, {})).report);
      const run = await scanVia(t, { seed: 4, latencyMs: 2000, latencyRate: 0.25 });
      expect(run.stats.faults.latency).toBeGreaterThan(0);
      expect(outcome(run.report)).toEqual(reference);
    } finally {
      await t.proxy.close();
    }
  });
});
