/** `npm run docs:schemas`: writes docs/config.schema.json from the zod schema. */
import { writeFile } from "node:fs/promises";
import { configJsonSchema } from "./config-json-schema.js";

await writeFile(
  new URL("../docs/config.schema.json", import.meta.url),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);
