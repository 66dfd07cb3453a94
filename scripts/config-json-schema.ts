import { readFileSync } from "node:fs";
import ts from "typescript";
import { z } from "zod";
import { configSchema } from "../src/config/schema.js";

/** Where the documented `z.object` literals are: the config's, and the allowlist entry's it uses. */
const SOURCES = [
  { file: "../src/config/schema.ts", variable: "configSchema", prefix: "" },
  { file: "../src/suppress/allowlist.ts", variable: "allowEntrySchema", prefix: "allowlist." },
];

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  description?: string;
};

/**
 * The config file's JSON Schema, generated from the zod schema (what a user writes: sizes as
 * numbers or strings with units, defaults optional), for editors' completion and checks. Each
 * key's description is its doc comment in src/config/schema.ts, read with the TypeScript
 * compiler, so the comments stay the one source. Kept in `docs/config.schema.json` by
 * `npm run docs:schemas`; a test checks the two agree. A docs-time tool: it needs `typescript`.
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
  describe(generated as JsonSchema, configComments());
  // Its default is the machine's (cores − 1 above 2 cores): the published schema must not vary.
  delete (generated as { properties: Record<string, { default?: unknown }> }).properties.workers?.default;
  return {
    ...generated,
    $id: "https://www.npmjs.com/package/reliquat/config.schema.json",
    title: "Reliquat configuration (reliquat scan -c FILE)",
  };
}

/** Doc comments of the keys of `configSchema`'s `z.object({…})` literals, nested ones by dotted path. */
export function configComments(): Map<string, string> {
  const out = new Map<string, string>();
  const visitObject = (literal: ts.ObjectLiteralExpression, prefix: string) => {
    for (const p of literal.properties) {
      if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name)) continue;
      const key = prefix + p.name.text;
      const doc = ts
        .getJSDocCommentsAndTags(p)
        .map((d) => ts.getTextOfJSDocComment(d.comment) ?? "")
        .join(" ");
      if (doc) out.set(key, doc.replace(/\s+/g, " ").trim());
      const nested = objectLiteralOf(p.initializer);
      if (nested) visitObject(nested, `${key}.`);
    }
  };
  for (const { file, variable, prefix } of SOURCES) {
    const text = readFileSync(new URL(file, import.meta.url), "utf8");
    const visit = (node: ts.Node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === variable) {
        const literal = node.initializer && objectLiteralOf(node.initializer);
        if (literal) visitObject(literal, prefix);
      }
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
  }
  return out;
}

/** The `{…}` of the first `z.object({…})` in a call chain (`z.object({…}).strict().default({})`). */
function objectLiteralOf(expr: ts.Expression): ts.ObjectLiteralExpression | undefined {
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node) => {
    if (found || ts.isArrowFunction(node)) return;
    if (ts.isCallExpression(node) && node.expression.getText().endsWith(".object")) {
      const arg = node.arguments[0];
      if (arg && ts.isObjectLiteralExpression(arg)) found = arg;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

function describe(schema: JsonSchema, comments: Map<string, string>): void {
  for (const [path, text] of comments) {
    let node: JsonSchema | undefined = schema;
    for (const key of path.split(".")) node = propertyOf(node, key);
    if (!node) throw new Error(`config.schema.json: no property for the documented key ${path}`);
    node.description = text;
  }
}

function propertyOf(node: JsonSchema | undefined, key: string): JsonSchema | undefined {
  if (!node) return undefined;
  // A key of an array's entries (`reports[].format`) is documented under the array's key.
  return (
    node.properties?.[key] ?? propertyOf(node.items, key) ?? node.anyOf?.map((n) => propertyOf(n, key)).find(Boolean)
  );
}
