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
