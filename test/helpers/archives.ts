import { pack } from "tar-stream";

/** A tar archive (in memory: test fixtures are small) of `files`. */
export async function tarOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const p = pack();
  for (const [name, body] of Object.entries(files)) p.entry({ name }, Buffer.isBuffer(body) ? body : Buffer.from(body));
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A zip archive (deflated entries unless `store`) of `files`, written by yazl. */
export async function zipOf(files: Record<string, Buffer | string>, store = false): Promise<Buffer> {
  const { ZipFile } = await import("yazl");
  const zip = new ZipFile();
  for (const [name, body] of Object.entries(files)) {
    if (name.endsWith("/")) zip.addEmptyDirectory(name);
    else zip.addBuffer(Buffer.isBuffer(body) ? body : Buffer.from(body), name, { compress: !store });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
