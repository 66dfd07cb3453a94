import { close, constants, createReadStream, fstat, open } from "node:fs";
import { opendir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describeEntry, errnoText, folderText, isInside, kindOf } from "./fs-entries.js";
import {
  type BucketPosture,
  type BucketRef,
  type ListOptions,
  type ObjectRef,
  ProviderError,
  type ReadOptions,
  type StorageProvider,
} from "./types.js";

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const closeFd = promisify(close);

/**
 * Local folders: a folder is a bucket and keys are its relative paths, `/`-separated.
 * A hostile tree never stops the walk: an unreadable or vanished sub-folder is one entry
 * `sub/folder/` skipped as an error, and links, pipes and devices are classified without
 * being opened (see fs-entries.ts for the policy); each entry ends with one coverage status.
 */
export function createFsProvider(): StorageProvider {
  const roots = new Map<string, Promise<string>>();
  const realRoot = (folder: string) => {
    const real = roots.get(folder) ?? realpath(folder);
    roots.set(folder, real);
    return real;
  };
  return {
    name: "fs",

    async *listBuckets() {
      // A local folder has no account to enumerate: targets always name a folder.
    },

    async *listObjects(bucket: BucketRef, options: ListOptions = {}): AsyncIterable<ObjectRef> {
      await assertFolder(bucket.name);
      const root = await realRoot(bucket.name).catch((cause) => {
        throw fsError(cause, `folder "${bucket.name}" cannot be read`);
      });
      const prefix = options.prefix ?? "";
      const keyOf = (full: string) => path.relative(bucket.name, full).split(path.sep).join("/");
      // Depth-first walk with a stack of open paths: memory grows with depth, not with file count.
      const stack: string[] = [bucket.name];
      while (stack.length > 0) {
        const dir = stack.pop() as string;
        const subdirs: string[] = [];
        let seen = 0;
        try {
          for await (const entry of await opendir(dir)) {
            options.signal?.throwIfAborted();
            seen++;
            const full = path.join(dir, entry.name);
            const key = keyOf(full);
            if (entry.isDirectory()) {
              if (prefix.startsWith(`${key}/`) || key.startsWith(prefix)) subdirs.push(full);
            } else if (key.startsWith(prefix)) {
              yield await describeEntry({ bucket, root, full, key, prefix });
            }
          }
        } catch (cause) {
          options.signal?.throwIfAborted();
          if (dir === bucket.name) throw fsError(cause, `listing folder "${dir}" failed`);
          // One unreadable sub-folder is one coverage entry, not the end of the walk.
          const reason =
            seen > 0 ? `folder listing failed after ${seen} entries: ${errnoText(cause)}` : folderText(cause);
          yield { bucket, key: `${keyOf(dir)}/`, size: 0, skip: { reason, error: true } };
        }
        // Reverse so that the walk visits sub-folders in directory order.
        stack.push(...subdirs.reverse());
      }
    },

    async *readRange(ref: ObjectRef, options: ReadOptions): AsyncIterable<Uint8Array> {
      const end = options.length === undefined ? undefined : options.offset + options.length - 1;
      if (end !== undefined && end < options.offset) return;
      const fd = await openRegular(ref, () => realRoot(ref.bucket.name));
      const stream = createReadStream("", {
        fd,
        start: options.offset,
        end,
        // 64 KiB unless asked, as sockets give: 256 KiB reads held 65 MB more at peak over 16 files
        // read at once (30 lab exports, --exhaustive); detection workers ask for more, since 64 KiB
        // reads cost the main thread that feeds them 15% of its wall time.
        highWaterMark: options.chunkSize ?? 64 * 1024,
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

/**
 * `file:///abs/path` or a plain path → the bucket for that folder.
 * @throws {ProviderError} `invalid-target` for a file URL with a host or no path (`file://data` is not `./data`).
 */
export function fsBucket(target: string): BucketRef {
  let folder = target;
  if (/^file:\/\//i.test(target)) {
    try {
      if (/^file:\/\/(?!\/|localhost\/)/i.test(target)) throw new Error("no absolute path");
      folder = fileURLToPath(target);
    } catch (cause) {
      const message = `"${target}": a file URL needs an absolute path, file:///abs/path (or give the folder path itself)`;
      throw new ProviderError("fs", "invalid-target", message, { cause });
    }
  }
  const resolved = path.resolve(folder);
  return { provider: "fs", name: resolved, url: pathToFileURL(resolved).href };
}

/**
 * Opens a listed file for reading, checked again at read time: the entry may have become a
 * FIFO (O_NONBLOCK: opening one never blocks) or a link out of the folder since it was listed.
 * Returns a plain descriptor: streams over a FileHandle measured slower on small files.
 */
async function openRegular(ref: ObjectRef, root: () => Promise<string>): Promise<number> {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
  const full = path.join(ref.bucket.name, ...ref.key.split("/"));
  let fd: number;
  try {
    fd = await openFd(full, flags).catch(async (cause: NodeJS.ErrnoException) => {
      // ELOOP with O_NOFOLLOW: the key is a symlink, scanned under its own key by policy.
      if (cause.code !== "ELOOP") throw cause;
      const target = await realpath(full);
      if (!isInside(await root(), target)) throw refused(ref, "it leads out of the scanned folder");
      return openFd(target, flags);
    });
  } catch (cause) {
    if (cause instanceof ProviderError) throw cause;
    throw fsError(cause, `reading "${ref.key}" failed`);
  }
  const info = await fstatFd(fd).catch(async (cause) => {
    await closeFd(fd);
    throw fsError(cause, `reading "${ref.key}" failed`);
  });
  if (info.isFile()) return fd;
  await closeFd(fd);
  throw refused(ref, `not a regular file (${kindOf(info)})`);
}

function refused(ref: ObjectRef, why: string): ProviderError {
  return new ProviderError("fs", "invalid-target", `reading "${ref.key}" refused: ${why}`);
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
