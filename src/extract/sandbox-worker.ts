/**
 * The sandbox thread: decodes PDF pages (unpdf) and Parquet row groups (hyparquet) for
 * `sandbox.ts`, and answers { result } or { error }. It never sees anything but the bytes it is
 * sent, and writes nothing but its answer.
 */
import { parentPort } from "node:worker_threads";
import type { FileMetaData } from "hyparquet";
import { cellText } from "./parquet-cells.js";

export type SandboxTask =
  | { kind: "pdf"; data: Uint8Array }
  | {
      kind: "parquet";
      metadata: FileMetaData;
      size: number;
      /** The bytes of [at, at + bytes.length) of the file: one row group's column chunks. */
      at: number;
      bytes: Uint8Array;
      rowStart: number;
      rowEnd: number;
    };

export type SandboxResult =
  | { kind: "pdf"; pages: { text?: string; error?: string }[] }
  | { kind: "parquet"; rows: string[][] };

async function pdf(data: Uint8Array): Promise<SandboxResult> {
  const { getDocumentProxy } = await import("unpdf");
  // verbosity 0: pdf.js must not print warnings (which could quote the document).
  const doc = await getDocumentProxy(data, { verbosity: 0, isEvalSupported: false });
  const pages: { text?: string; error?: string }[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      try {
        const content = await (await doc.getPage(n)).getTextContent();
        pages.push({
          text: content.items.map((item) => ("str" in item ? `${item.str}${item.hasEOL ? "\n" : " "}` : "")).join(""),
        });
      } catch (error) {
        pages.push({ error: (error as Error).message });
      }
    }
  } finally {
    await doc.destroy();
  }
  return { kind: "pdf", pages };
}

async function parquet(task: Extract<SandboxTask, { kind: "parquet" }>): Promise<SandboxResult> {
  const { parquetRead } = await import("hyparquet");
  const { compressors } = await import("hyparquet-compressors");
  const file = {
    byteLength: task.size,
    slice(start: number, end?: number) {
      const from = start - task.at;
      const to = (end ?? task.size) - task.at;
      if (from < 0 || to > task.bytes.length) throw new Error(`read outside its row group (${start}-${end})`);
      const piece = task.bytes.subarray(from, to);
      return piece.buffer.slice(piece.byteOffset, piece.byteOffset + piece.byteLength) as ArrayBuffer;
    },
  };
  let rows: string[][] | undefined;
  await parquetRead({
    file,
    metadata: task.metadata,
    rowStart: task.rowStart,
    rowEnd: task.rowEnd,
    compressors,
    onComplete: (values: unknown[][]) => {
      rows = values.map((row) => row.map(cellText));
    },
  });
  if (!rows) throw new Error("row group gave no rows");
  return { kind: "parquet", rows };
}

parentPort?.on("message", (task: SandboxTask) => {
  (task.kind === "pdf" ? pdf(task.data) : parquet(task)).then(
    (result) => parentPort?.postMessage({ result }),
    (error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
