import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const schema = JSON.parse(readFileSync(new URL("../../docs/report.schema.json", import.meta.url), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** Validates a report, as its JSON text says it, against docs/report.schema.json; returns the errors ("" when valid). */
export function schemaErrors(report: unknown): string {
  return validate(JSON.parse(JSON.stringify(report))) ? "" : ajv.errorsText(validate.errors);
}
