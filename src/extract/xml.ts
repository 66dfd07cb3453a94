import { Payloads } from "./embedded.js";
import { IDENTIFIER_SYSTEMS } from "./json-fields.js";
import { type Level, nestedPath } from "./nested-path.js";
import { saxText } from "./sax.js";
import { headText, TextOut } from "./text-io.js";
import type { Extractor } from "./types.js";

interface Open extends Level {
  /** Text met so far in the element, not yet written (a string: most levels never get any). */
  text: string;
}

/**
 * XML, HL7 CDA included, as `path<TAB>value` lines: `/ClinicalDocument/recordTarget/patientRole/id/@extension`.
 * An element whose `root` (CDA) or `codeSystem` is the INS-NIR or INS-NIA OID gets it in its
 * path (`…/id{INS-NIR}/@extension`). The children of the root element are records, except in a
 * CDA document, which is one patient's record as a whole. HTML is left to the text path.
 * Deep nesting shortens paths (see nestedPath), never the values read.
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
  async *extract(source, ctx) {
    // CDA nonXMLBody and observationMedia: base64 documents, opened after the document.
    const payloads = new Payloads();
    const out = new TextOut(payloads);
    const stack: Open[] = [];
    let cda = false;
    const flushText = (top: Open | undefined) => {
      if (!top?.text) return;
      const text = top.text.trim();
      top.text = "";
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
        // Local names: a namespace prefix says nothing a rule reads (UBL's cac:PayerFinancialAccount/
        // cbc:ID is financial_account_id, not financial_account_cbc_id).
        const segment = `/${tag.name.slice(tag.name.indexOf(":") + 1)}${label ? `{${label}}` : ""}`;
        const path = nestedPath(stack, segment, "", "/");
        for (const [name, value] of attributes)
          if (!name.startsWith("xmlns") && value) out.field(`${path}/@${name}`, value);
        stack.push({ segment, path, text: "" });
      });
      const append = (text: string) => {
        const top = stack[stack.length - 1];
        if (top) top.text += text;
      };
      parser.on("text", append);
      parser.on("cdata", append);
      parser.on("closetag", () => {
        flushText(stack.pop());
        if (stack.length === 1 && !cda) out.write("\n");
      });
    });
    yield { path: source.path, layout: { kind: "fields" }, bytes };
    yield* payloads.documents(source.path);
    if (payloads.droppedReason) ctx.partial(payloads.droppedReason);
  },
};
