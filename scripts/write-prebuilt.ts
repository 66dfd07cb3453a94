/** Part of `npm run build`: dist/prebuilt.json, the shipped YAML files parsed (see src/yaml-data.ts). */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { PACKAGE_ROOT } from "../src/package-root.js";
import { buildPrebuilt } from "../src/yaml-data.js";

await writeFile(path.join(PACKAGE_ROOT, "dist", "prebuilt.json"), `${JSON.stringify(await buildPrebuilt())}\n`);
