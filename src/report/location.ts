import type { SampleLocation } from "./types.js";

/** `line 2 in table:patient at nir`: where a sample sits, for reporters that print it. */
export function describeLocation(location: SampleLocation): string {
  const parts = location.line !== undefined ? [`line ${location.line}`] : [];
  if (location.path) parts.push(`in ${location.path}`);
  if (location.field) parts.push(`at ${location.field}`);
  return parts.join(" ") || "in the object";
}
