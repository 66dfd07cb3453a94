import { createReadStream } from "node:fs";
import { opendir, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  type BucketPosture,
  type BucketRef,
  type ListOptions,
  type ObjectRef,
  ProviderError,
  type ReadOptions,
  type StorageProvider,
} from "./types.js";

/** Local folders: a folder is a bucket and keys are its relative paths, `/`-separated. */
export function createFsProvider(): StorageProvider {
  return {
    name: "fs",

    async *listBuckets() {
      // A local folder has no account to enumerate: targets always name a folder.
    },

    async *listObjects(bucket: BucketRef, options: ListOptions = {}): AsyncIterable<ObjectRef> {
      await assertFolder(bucket.name);
      const prefix = options.prefix ?? "";
      // Depth-first walk with a stack of open paths: memory grows with depth, not with file count.
      const stack: string[] = [bucket.name];
      while (stack.length > 0) {
        const dir = stack.pop() as string;
        let handle: Awaited<ReturnType<typeof opendir>>;
        try {
          handle = await opendir(dir);
        } catch (cause) {
          throw fsError(cause, `listing folder "${dir}" failed`);
        }
        const subdirs: string[] = [];
        for await (const entry of handle) {
          options.signal?.throwIfAborted();
          const full = path.join(dir, entry.name);
          const key = path.relative(bucket.name, full).split(path.sep).join("/");
          if (entry.isDirectory()) {
            if (prefix.startsWith(`${key}/`) || key.startsWith(prefix) || prefix === "") subdirs.push(full);
            continue;
          }
          if (!entry.isFile() || !key.startsWith(prefix)) continue;
          const info = await stat(full).catch(() => undefined);
          if (!info) continue; // removed between readdir and stat
          yield { bucket, key, size: info.size, lastModified: info.mtime };
        }
        // Reverse so that the walk visits sub-folders in directory order.
        stack.push(...subdirs.reverse());
      }
    },

    async *readRange(ref: ObjectRef, options: ReadOptions): AsyncIterable<Uint8Array> {
      const end = options.length === undefined ? undefined : options.offset + options.length - 1;
      if (end !== undefined && end < options.offset) return;
      const stream = createReadStream(path.join(ref.bucket.name, ...ref.key.split("/")), {
        start: options.offset,
        end,
        highWaterMark: 256 * 1024,
        signal: options.signal,
      });
      try {
        for await (const chunk of stream) yield chunk as Uint8Array;
      } catch (cause) {
        if (options.signal?.aborted) throw cause;
        throw fsError(cause, `reading "${ref.key}" failed`);
      }
    },

    async describeBucket(): Promise<BucketPosture> {
      return {
        publicRead: false,
        publicList: false,
        notes: ["local folder: reachable only by accounts on this machine or its shares"],
      };
    },
  };
}

/** `file:///abs/path` or a plain path → the bucket for that folder. */
export function fsBucket(target: string): BucketRef {
  const folder = path.resolve(target.startsWith("file://") ? new URL(target).pathname : target);
  return { provider: "fs", name: folder, url: pathToFileURL(folder).href };
}

async function assertFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch((cause) => {
    throw fsError(cause, `folder "${folder}" cannot be read`);
  });
  if (!info.isDirectory()) {
    throw new ProviderError("fs", "invalid-target", `"${folder}" is not a folder`);
  }
}

function fsError(cause: unknown, message: string): ProviderError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const kind = code === "ENOENT" ? "not-found" : code === "EACCES" || code === "EPERM" ? "access-denied" : "unknown";
  return new ProviderError("fs", kind, `${message}: ${code ?? String(cause)}`, { cause });
}
