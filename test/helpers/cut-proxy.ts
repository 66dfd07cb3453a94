import { createConnection, createServer, type Socket } from "node:net";

/** A TCP proxy in front of a test server that can be cut: the server "dies" for the client. */
export interface CutProxy {
  /** The target's URL with the proxy's port. */
  endpoint: string;
  /** Destroys every open connection and refuses new ones (ECONNREFUSED). */
  cut(): Promise<void>;
  /** Bytes sent by the server to the client so far. */
  bytesDown(): number;
}

/** Starts a proxy to `endpoint` (http://host:port[/path]) on a free loopback port. */
export async function cutProxy(endpoint: string): Promise<CutProxy> {
  const target = new URL(endpoint);
  const sockets = new Set<Socket>();
  let down = 0;
  const server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    upstream.on("data", (chunk: Buffer) => {
      down += chunk.byteLength;
    });
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const url = new URL(endpoint);
  url.port = String(port);
  return {
    endpoint: url.toString().replace(/\/$/, ""),
    bytesDown: () => down,
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
