import { Readable } from "node:stream";
import { extract as tarExtract } from "tar-stream";
import { CorruptError, countEntry, ExpandLimitError } from "./limits.js";
import type { Extractor } from "./types.js";

const isTar = (h: Uint8Array) => h.length >= 262 && Buffer.from(h.subarray(257, 262)).toString("latin1") === "ustar";

/** tar by `tar-stream`: each file entry streams as its own document, in archive order. */
export const tarExtractor: Extractor = {
  format: "tar",
  container: true,
  detect: isTar,
  async *extract(source, ctx) {
    const extractor = tarExtract();
    const input = Readable.from(source.stream);
    input.on("error", (error) => extractor.destroy(error));
    input.pipe(extractor);
    try {
      for await (const entry of extractor) {
        if (entry.header.type !== "file") {
          entry.resume();
          continue;
        }
        countEntry(ctx.counters, ctx.limits);
        const path = source.path ? `${source.path}/${entry.header.name}` : entry.header.name;
        yield { path, bytes: corruptAs("tar", entry as AsyncIterable<Uint8Array>) };
        entry.resume(); // whatever the scan did not read, so that the next entry can start
      }
    } catch (error) {
      if (error instanceof ExpandLimitError || error instanceof CorruptError) throw error;
      throw new CorruptError(`corrupt tar: ${(error as Error).message}`, { cause: error });
    } finally {
      input.destroy();
      extractor.destroy();
    }
  },
};

/** Re-throws a stream's errors as CorruptError: a cut archive fails inside an entry's bytes. */
export async function* corruptAs(format: string, bytes: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  try {
    yield* bytes;
  } catch (error) {
    if (error instanceof ExpandLimitError || error instanceof CorruptError) throw error;
    throw new CorruptError(`corrupt ${format}: ${(error as Error).message}`, { cause: error });
  }
}
