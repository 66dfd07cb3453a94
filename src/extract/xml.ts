import { IDENTIFIER_SYSTEMS } from "./json-fields.js";
import { saxText } from "./sax.js";
import { headText, TextOut } from "./text-io.js";
import type { Extractor } from "./types.js";

interface Open {
  path: string;
  text: string[];
}

/**
 * XML, HL7 CDA included, as `path<TAB>value` lines: `/ClinicalDocument/recordTarget/patientRole/id/@extension`.
 * An element whose `root` (CDA) or `codeSystem` is the INS-NIR or INS-NIA OID gets it in its
 * path (`…/id{INS-NIR}/@extension`). The children of the root element are records, except in a
 * CDA document, which is one patient's record as a whole. HTML is left to the text path.
 */
export const xmlExtractor: Extractor = {
  format: "xml",
  container: false,
  detect: (head) => {
    const text = headText(head).trimStart();
    return (
      (text.startsWith("<?xml") || /^<[A-Za-z_]/.test(text)) &&
      !/^(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+)?html/i.test(text)
    );
  },
  async *extract(source) {
    const out = new TextOut();
    const stack: Open[] = [];
    let cda = false;
    const flushText = (top: Open | undefined) => {
      if (!top || top.text.length === 0) return;
      const text = top.text.join("").trim();
      top.text = [];
      if (text) out.field(top.path, text);
    };
    const bytes = saxText(source.stream, "xml", out, (parser) => {
      parser.on("opentag", (tag) => {
        const parent = stack[stack.length - 1];
        flushText(parent);
        if (!parent) cda = tag.name.endsWith("ClinicalDocument");
        const attributes = Object.entries(tag.attributes as Record<string, string>);
        const system = attributes.find(([k]) => k === "root" || k === "codeSystem")?.[1];
        const label = system === undefined ? undefined : IDENTIFIER_SYSTEMS[system];
        const path = `${parent?.path ?? ""}/${tag.name}${label ? `{${label}}` : ""}`;
        for (const [name, value] of attributes)
          if (!name.startsWith("xmlns") && value) out.field(`${path}/@${name}`, value);
        stack.push({ path, text: [] });
      });
      parser.on("text", (text) => stack[stack.length - 1]?.text.push(text));
      parser.on("cdata", (text) => stack[stack.length - 1]?.text.push(text));
      parser.on("closetag", () => {
        flushText(stack.pop());
        if (stack.length === 1 && !cda) out.write("\n");
      });
    });
    yield { path: source.path, layout: { kind: "fields" }, bytes };
  },
};
