/**
 * Classifies what a folder walk meets without opening it, and words the coverage reasons:
 * the fs provider's policy for symlinks, pipes, devices and entries that vanish.
 */
import { constants, type Stats } from "node:fs";
import { access, lstat, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { BucketRef, ObjectRef } from "./types.js";

/** One directory entry met by the walk. */
export interface Entry {
  bucket: BucketRef;
  /** The scanned folder with its links resolved, to tell inside from outside. */
  root: string;
  /** The entry's path as the walk reached it (not resolved). */
  full: string;
  /** Its key, relative to the bucket folder. */
  key: string;
  /** The listing's prefix: a link whose target lies outside it is read under the link's key. */
  prefix: string;
}

/**
 * A listed non-folder entry, classified without opening it (lstat never blocks on a FIFO):
 * a regular file to read, or an entry with `skip` set. Never throws: a failure is a `skip`.
 */
export async function describeEntry(e: Entry): Promise<ObjectRef> {
  let info: Stats;
  try {
    info = await lstat(e.full);
  } catch (cause) {
    return skipped(e, unreadableText(cause), true);
  }
  if (info.isSymbolicLink()) return describeLink(e);
  if (!info.isFile()) return skipped(e, `not a regular file (${kindOf(info)})`, false);
  return { bucket: e.bucket, key: e.key, size: info.size, lastModified: info.mtime, revision: revisionOf(info) };
}

/**
 * Symlink policy: a link leaving the scanned folder, a link to a folder, a dangling link, a loop
 * and a link to a pipe or device are skipped, not followed. A link to a regular file inside is
 * read once in all: skipped (`symlink to a/b.csv (scanned under its own key)`) when the walk
 * lists its target too, otherwise (target outside the prefix, or in a folder the walk cannot
 * open) scanned under the link's own key.
 */
async function describeLink(e: Entry): Promise<ObjectRef> {
  let target: string;
  try {
    target = await realpath(e.full);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return skipped(e, "broken symlink", false);
    if (code === "ELOOP") return skipped(e, "symlink loop (ELOOP)", false);
    return skipped(e, `symlink not resolved: ${errnoText(cause)}`, true);
  }
  if (!isInside(e.root, target) && target !== e.root)
    return skipped(e, "symlink out of the scanned folder (not followed)", false);
  const info = await stat(target).catch((cause: unknown) => cause as Error);
  if (info instanceof Error) return skipped(e, `symlink target ${unreadableText(info)}`, true);
  if (info.isDirectory()) return skipped(e, "symlink to a folder (not followed)", false);
  if (!info.isFile()) return skipped(e, `symlink to a non-regular file (${kindOf(info)})`, false);
  const targetKey = path.relative(e.root, target).split(path.sep).join("/");
  if (await listedByWalk(e.root, targetKey, e.prefix))
    return skipped(e, `symlink to ${targetKey} (scanned under its own key)`, false);
  return { bucket: e.bucket, key: e.key, size: info.size, lastModified: info.mtime, revision: revisionOf(info) };
}

/** Whether the walk reaches `key` itself: it matches the prefix and every folder on the way can be listed. */
async function listedByWalk(root: string, key: string, prefix: string): Promise<boolean> {
  if (!key.startsWith(prefix)) return false;
  let dir = root;
  for (const part of ["", ...key.split("/").slice(0, -1)]) {
    dir = path.join(dir, part);
    const listable = await access(dir, constants.R_OK | constants.X_OK).then(
      () => true,
      () => false,
    );
    if (!listable) return false;
  }
  return true;
}

function skipped(e: Entry, reason: string, error: boolean): ObjectRef {
  return { bucket: e.bucket, key: e.key, size: 0, skip: { reason, error } };
}

/** Whether `target` lies strictly inside the folder `root` (both resolved). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== "" && rel.split(path.sep)[0] !== ".." && !path.isAbsolute(rel);
}

/** `named pipe`, `socket`, `character device`… for a coverage reason. */
export function kindOf(info: Stats): string {
  if (info.isFIFO()) return "named pipe";
  if (info.isSocket()) return "socket";
  if (info.isCharacterDevice()) return "character device";
  if (info.isBlockDevice()) return "block device";
  return info.isDirectory() ? "folder" : "unknown type";
}

/** `access denied (EACCES)`, `vanished during listing (ENOENT)`… for a coverage reason. */
export function errnoText(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException)?.code;
  if (code === "EACCES" || code === "EPERM") return `access denied (${code})`;
  if (code === "ENOENT") return "vanished during listing (ENOENT)";
  return code ?? String(cause);
}

/** The reason for a sub-folder the walk could not open. */
export function folderText(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException)?.code;
  return code === "ENOENT" ? `folder ${errnoText(cause)}` : `folder not readable: ${errnoText(cause)}`;
}

function unreadableText(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException)?.code;
  return code === "ENOENT" ? errnoText(cause) : `not readable: ${errnoText(cause)}`;
}

/** Size and modification time (to the fraction of a millisecond the file system keeps). */
function revisionOf(info: Stats): string {
  return `${info.size}:${info.mtimeMs}`;
}
