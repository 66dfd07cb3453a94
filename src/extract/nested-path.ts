import { thousands } from "../numbers.js";

/** Segments of a path kept from its start, and from its end, once a structure nests deeper. */
const HEAD = 16;
const TAIL = 8;

/** One open level of a nested structure (an XML element, a JSON object or array). */
export interface Level {
  /** How this level is reached from the one above it (`/id`, `.resource`, `[3]`). */
  segment: string;
  /** The level's whole path, as {@link nestedPath} built it. */
  path: string;
}

/**
 * The path of a new level under `open` (the open levels, outermost first): `root` and every
 * segment while the structure is shallow; deeper than 24 levels, the first 16 segments, how
 * many were left out, and the last 8 (`/a/a/…/a/…(99,976 more)/a/a`). Values at any depth
 * are still written and scanned; only their location is shortened. Built from the cached path
 * of level 16 and the last segments, so a level costs the same at any depth: rebuilding whole
 * paths made a 1.6 MB file nested 100,000 times write 10 GB of paths.
 */
export function nestedPath(open: readonly Level[], segment: string, root: string, separator: string): string {
  const depth = open.length + 1;
  if (depth <= HEAD + TAIL) return (open[open.length - 1]?.path ?? root) + segment;
  const parts = [(open[HEAD - 1] as Level).path, `${separator}…(${thousands(depth - HEAD - TAIL)} more)`];
  for (let i = open.length - TAIL + 1; i < open.length; i++) parts.push((open[i] as Level).segment);
  parts.push(segment);
  // join() makes one flat string: concatenation would keep a chain of pieces alive per level.
  return parts.join("");
}
