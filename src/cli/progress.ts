import { printable } from "../report/printable.js";
import { formatBytes } from "../sample/plan.js";
import type { ScanEvents } from "../scan.js";

/**
 * A live progress line on a TTY: buckets, objects done of listed, bytes, objects/s, and an ETA
 * for the current bucket once its listing has ended (before that the total is not known, and
 * the line says so rather than guess). Silent elsewhere: logs take over off a terminal. The
 * bucket name is redacted, then made printable: a name cannot send commands to the terminal.
 */
export async function createProgress(
  stream: NodeJS.WriteStream,
  redact: (text: string) => string = (t) => t,
): Promise<ScanEvents & { stop(): void }> {
  if (!stream.isTTY) return { stop() {} };
  // Loaded on a terminal only: CI and cron runs never pay for it.
  const { SingleBar } = await import("cli-progress");
  const bar = new SingleBar({
    stream,
    format: "bucket {buckets} {bucket} | {bucketDone}/{listed} objects | {bytes} | {rate} obj/s | ETA {eta_text}",
    hideCursor: true,
    clearOnComplete: true,
    noTTYOutput: false,
  });
  const started = Date.now();
  let bytes = 0;
  let done = 0;
  let bucketDone = 0;
  let bucketStarted = started;
  let listed: number | undefined;
  let buckets = 0;
  let bucket = "";
  bar.start(0, 0, { bucket, buckets, bucketDone, listed: "?", bytes: "0 B", rate: "0", eta_text: "listing…" });
  const update = () => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    const bucketRate = bucketDone / Math.max(0.001, (Date.now() - bucketStarted) / 1000);
    const eta =
      listed === undefined ? "listing…" : bucketRate > 0 ? `${Math.ceil((listed - bucketDone) / bucketRate)} s` : "…";
    bar.update(done, {
      bucket,
      buckets,
      bucketDone,
      listed: listed ?? "?",
      bytes: formatBytes(bytes),
      rate: (done / seconds).toFixed(0),
      eta_text: eta,
    });
  };
  return {
    onBucket(b) {
      // A bucket may be named after an identifier: the live line is an output like any other.
      bucket = printable(redact(b.url));
      buckets++;
      bucketDone = 0;
      bucketStarted = Date.now();
      listed = undefined;
      update();
    },
    onListed(_b, count) {
      listed = count;
      update();
    },
    onObject() {
      done++;
      bucketDone++;
      update();
    },
    onBytes(n) {
      bytes += n;
      update();
    },
    stop: () => bar.stop(),
  };
}
