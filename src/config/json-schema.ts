import { z } from "zod";
import { configSchema } from "./schema.js";

/**
 * The config file's JSON Schema, generated from the zod schema (what a user writes: sizes as
 * numbers or strings with units, defaults optional), for editors' completion and checks. Kept
 * in `docs/config.schema.json` by `npm run docs:schemas`; a test checks the two agree.
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
  return {
    ...generated,
    $id: "https://www.npmjs.com/package/reliquat/config.schema.json",
    title: "Reliquat configuration (reliquat scan -c FILE)",
  };
}
