import { SingleBar } from "cli-progress";
import { formatBytes } from "../sample/plan.js";
import type { ScanEvents } from "../scan.js";

/** A live progress line on a TTY: buckets, objects, bytes, objects/s. Silent elsewhere. */
export function createProgress(stream: NodeJS.WriteStream): ScanEvents & { stop(): void } {
  if (!stream.isTTY) return { stop() {} };
  const bar = new SingleBar({
    stream,
    format: "{bucket} | {value} objects | {bytes} | {rate} obj/s",
    hideCursor: true,
    clearOnComplete: true,
    noTTYOutput: false,
  });
  const started = Date.now();
  let bytes = 0;
  let count = 0;
  let bucket = "";
  bar.start(0, 0, { bucket, bytes: "0 B", rate: "0" });
  const update = () => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    bar.update(count, { bucket, bytes: formatBytes(bytes), rate: (count / seconds).toFixed(0) });
  };
  return {
    onBucket(b) {
      bucket = b.url;
      update();
    },
    onObject() {
      count++;
      update();
    },
    onBytes(n) {
      bytes += n;
      update();
    },
    stop: () => bar.stop(),
  };
}
