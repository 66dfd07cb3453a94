import { CorruptError, ExpandLimitError } from "./limits.js";

/** Most distinct damage messages kept in the object's reason; the others are counted. */
const MAX_TOLD = 3;

/**
 * Bad data met in one document of an object (a zip entry whose header is damaged, a cut tar
 * entry): recorded, so that the documents after it are still read, then reported once, as one
 * CorruptError, when the object is done. Only CorruptError is held; a limit, the source's
 * failure or a cancellation stops the object at once.
 */
export class Damage {
  private readonly told: { message: string; path?: string }[] = [];

  /** Records a CorruptError met in the document at `path` (once per message); throws anything else again. */
  record(error: unknown, path?: string): void {
    if (!(error instanceof CorruptError)) throw error;
    if (!this.told.some((t) => t.message === error.message)) this.told.push({ message: error.message, path });
  }

  /** A document's bytes, ending at their first CorruptError (recorded) instead of throwing it. */
  async *guard(bytes: AsyncIterable<Uint8Array>, path?: string): AsyncIterable<Uint8Array> {
    try {
      yield* bytes;
    } catch (error) {
      this.record(error, path);
    }
  }

  /**
   * Ends the object: throws `last` (the error that stopped it, if any) together with what was
   * recorded, as one CorruptError (`corrupt gzip: unexpected end of file (in a/b.csv.gz); …`).
   * Nothing recorded: `last` is thrown as it is, or nothing.
   */
  settle(last?: unknown): void {
    if (last !== undefined && !(last instanceof CorruptError || last instanceof ExpandLimitError)) throw last;
    if (this.told.length === 0) {
      if (last !== undefined) throw last;
      return;
    }
    if (last instanceof CorruptError) this.record(last);
    const parts = this.told.map(({ message, path }) =>
      path && !message.includes(path) ? `${message} (in ${path})` : message,
    );
    const limit = last instanceof ExpandLimitError ? `; ${last.reason}` : "";
    throw new CorruptError(`${describeDamage(parts)}${limit}`, { parts });
  }
}

/** Damage messages as one reason: the first three, then how many more. */
export function describeDamage(parts: string[]): string {
  const shown = parts.slice(0, MAX_TOLD);
  if (parts.length > MAX_TOLD) shown.push(`and ${parts.length - MAX_TOLD} more`);
  return shown.join("; ");
}
