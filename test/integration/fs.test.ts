import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createFsProvider, fsBucket } from "../../src/providers/fs.js";
import { runConformance } from "./conformance.js";

runConformance("fs (local folders)", {
  provider: createFsProvider,
  async createBucket(objects) {
    const dir = await mkdtemp(path.join(tmpdir(), "reliquat-fs-"));
    for (const o of objects) {
      const file = path.join(dir, ...o.key.split("/"));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, o.body);
    }
    return fsBucket(dir);
  },
  missingBucket: () => fsBucket(path.join(tmpdir(), "reliquat-no-such-folder")),
});
