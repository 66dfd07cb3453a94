// Runs s3rver (an S3 server on the local filesystem) in its own process, on 127.0.0.1.
// Started by src/demo/s3rver.ts with --openssl-legacy-provider: s3rver's listing
// continuation tokens use DES, which Node 20's OpenSSL 3 only offers through that provider.
// usage: node --openssl-legacy-provider lib/s3rver-child.mjs DIR [PORT]
// Prints one JSON line {"port": N} when ready; stops on SIGTERM or when stdin closes.
import S3rver from "s3rver";

const [directory, port = "0"] = process.argv.slice(2);
const server = new S3rver({ address: "127.0.0.1", port: Number(port), silent: true, directory });
const address = await server.run();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await server.close().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// The parent holds our stdin open; if it dies without stopping us, stdin closes and we go too.
process.stdin.on("end", stop);
process.stdin.resume();
