import { readFileSync } from "node:fs";
import { packagePath } from "./package-root.js";

/** The package version, read once from package.json (works from `src/` and `dist/`). */
export const VERSION: string = JSON.parse(readFileSync(packagePath("package.json"), "utf8")).version;
