import { gunzipMembers } from "./gzip-members.js";
import type { Extractor } from "./types.js";

/**
 * gzip (and so `.tar.gz`): one document, expanded on the fly member by member; trailing
 * garbage after the last member leaves the object partial with the reason.
 */
export const gzipExtractor: Extractor = {
  format: "gzip",
  container: true,
  detect: (h) => h[0] === 0x1f && h[1] === 0x8b && h[2] === 0x08,
  async *extract(source, ctx) {
    yield { path: source.path, bytes: gunzipMembers(source.stream, ctx.limits, ctx.counters, ctx.partial) };
  },
};
