/**
 * A fault-injecting HTTP reverse proxy in front of a real local storage server (s3rver, Azurite,
 * the GCS emulator): it forwards every request unchanged (Host header included, so signatures
 * still verify) and injects the faults a seeded policy chooses, in the target's own protocol.
 * The policy and its seeded draws are in fault-policy.ts, the protocols in fault-protocols.ts;
 * this module re-exports both.
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { type FaultKind, type FaultPolicy, plannedFault, type SeenRequest } from "./fault-policy.js";
import { isNextPage, type Protocol, type RequestKind, requestKind, throttleResponse } from "./fault-protocols.js";

export * from "./fault-policy.js";
export { isNextPage, type Protocol, type RequestKind, requestKind };

/** Counters since the last `set()`. */
export interface FaultStats {
  requests: number;
  byKind: Record<RequestKind, number>;
  faults: Record<FaultKind, number>;
  /** Requests that the target itself failed to answer (answered 502 when no header was sent). */
  upstreamErrors: number;
  /**
   * Signed object reads: the contents the scan reads, without the posture's anonymous
   * one-byte probe (an unsigned GET of one key).
   */
  signedReads: number;
  /** TCP connections the client opened: a client that keeps its connections opens about one per concurrent request. */
  connections: number;
  /** Every fault injected, in order (the first 10,000). */
  log: { n: number; method: string; url: string; fault: FaultKind }[];
}

export interface FaultProxy {
  /** The target's endpoint with the proxy's port, path kept (Azurite's `/devstoreaccount1`). */
  readonly endpoint: string;
  /** Replaces the policy and starts a new epoch: request indexes and counters restart from 0. */
  set(policy: FaultPolicy): void;
  /** A copy of the counters. */
  stats(): FaultStats;
  /** Closes the listener and destroys every connection, hung ones included: new connections get ECONNREFUSED. */
  kill(): Promise<void>;
  /** Listens again on the same port (no-op when listening). Rejects if the port was taken meanwhile. */
  revive(): Promise<void>;
  /** Kills for good and frees the upstream connections; tests call it in `afterAll`. */
  close(): Promise<void>;
}

const emptyStats = (): FaultStats => ({
  requests: 0,
  byKind: { list: 0, read: 0, other: 0 },
  faults: { throttle: 0, "reset-before-headers": 0, "reset-mid-body": 0, latency: 0, hang: 0, "hang-body": 0, kill: 0 },
  upstreamErrors: 0,
  connections: 0,
  signedReads: 0,
  log: [],
});

// An RST, as a crashed server or a middlebox gives, rather than an orderly FIN.
const reset = (socket: Socket) => (socket.destroyed ? undefined : socket.resetAndDestroy());
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "upgrade"]);

/** Starts a proxy to `target` (`http://host:port[/path]`) on a free loopback port. */
export async function startFaultProxy(
  target: string,
  protocol: Protocol,
  initial: FaultPolicy = {},
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const upstreams = new Set<ReturnType<typeof request>>();
  let policy = initial;
  let stats = emptyStats();
  let ofKind = { list: 0, read: 0, other: 0 };
  let listening = false;

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const record = (seen: SeenRequest, fault: FaultKind) => {
    stats.faults[fault]++;
    if (stats.log.length < 10_000) stats.log.push({ n: seen.n, method: seen.method, url: seen.url, fault });
  };

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    seen: SeenRequest,
    cut?: "hang-body" | "reset-mid-body",
  ) => {
    const headers = { ...req.headers };
    delete headers.expect;
    let settled = false;
    // A body too short to cut in the middle: the fault moves before the headers.
    const early = () => {
      if (settled) return;
      settled = true;
      record(seen, cut === "hang-body" ? "hang" : "reset-before-headers");
      if (cut === "reset-mid-body") reset(req.socket);
    };
    const up = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        const raw: string[] = [];
        for (let i = 0; i < answer.rawHeaders.length; i += 2)
          if (!HOP_BY_HOP.has((answer.rawHeaders[i] as string).toLowerCase()))
            raw.push(answer.rawHeaders[i] as string, answer.rawHeaders[i + 1] as string);
        const head = () => res.writeHead(answer.statusCode ?? 502, answer.statusMessage, raw);
        // The target failing mid-body must reach the client as a failure, not as a stall.
        answer.on("close", () => (answer.complete || settled ? undefined : res.destroy()));
        if (!cut) {
          head();
          return void answer.pipe(res);
        }
        // Half the declared length (else half the first chunk): a test knows how many bytes arrive.
        const declared = answer.headers["content-length"];
        let left = declared === undefined ? undefined : Math.floor(Number(declared) / 2);
        if (left === 0) {
          answer.destroy();
          return early();
        }
        answer.on("data", (chunk: Buffer) => {
          left ??= Math.floor(chunk.length / 2);
          if (!res.headersSent) head();
          const part = chunk.subarray(0, left);
          left -= part.length;
          if (left > 0) return void res.write(part);
          settled = true;
          answer.destroy();
          record(seen, cut);
          // Reset only once the part is flushed, or the client might never see the headers.
          res.write(part, () => (cut === "reset-mid-body" ? later(20, () => reset(req.socket)) : undefined));
        });
        answer.on("end", early);
      },
    );
    upstreams.add(up);
    up.on("close", () => upstreams.delete(up));
    res.on("close", () => {
      if (res.writableFinished || settled) return;
      settled = true;
      up.destroy();
    });
    up.on("error", () => {
      if (settled || !listening) return;
      stats.upstreamErrors++;
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(up);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const kind = requestKind(req, protocol);
    ofKind[kind]++;
    stats.requests++;
    stats.byKind[kind]++;
    if (kind === "read" && req.headers.authorization) stats.signedReads++;
    const n = stats.requests;
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const seen: SeenRequest = { method, url, kind, nextPage: isNextPage(url), n, nOfKind: ofKind[kind] };
    const p = policy;
    if (p.kill?.(seen, n)) {
      record(seen, "kill");
      return void proxy.kill();
    }
    const plan = plannedFault(p, n);
    const go = () => {
      if (req.socket.destroyed) return;
      if (p.hang?.(seen, n)) {
        record(seen, "hang");
        return void req.resume();
      }
      if (p.hangBody?.(seen, n)) return forward(req, res, seen, "hang-body");
      if (plan.fault === "throttle" || p.throttleWhen?.(seen, n)) {
        record(seen, "throttle");
        const answer = throttleResponse(protocol, p.throttleStatus ?? (protocol === "gcs" ? 429 : 503));
        req.resume();
        return void req.on("end", () => res.writeHead(answer.status, answer.headers).end(answer.body));
      }
      if (plan.fault === "reset-before-headers") {
        record(seen, plan.fault);
        return reset(req.socket);
      }
      forward(req, res, seen, plan.fault);
    };
    if (!plan.delayed) return go();
    record(seen, "latency");
    later(p.latencyMs ?? 0, go);
  };

  const server = createServer(handle);
  server.on("connection", (socket) => {
    stats.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        listening = true;
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as { port: number }).port;
  const endpoint = new URL(target);
  endpoint.port = String(port);

  const proxy: FaultProxy = {
    endpoint: endpoint.toString().replace(/\/$/, ""),
    set(next) {
      policy = next;
      stats = emptyStats();
      ofKind = { list: 0, read: 0, other: 0 };
    },
    stats: () => structuredClone(stats),
    async kill() {
      if (!listening) return;
      listening = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const up of upstreams) up.destroy();
      for (const socket of sockets) reset(socket);
      await closed;
    },
    revive: () => (listening ? Promise.resolve() : listen(port)),
    async close() {
      await proxy.kill();
      agent.destroy();
    },
  };
  return proxy;
}
