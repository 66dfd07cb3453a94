/**
 * A report that could not be written (a full disk, a closed pipe, a missing folder): the run
 * exits 3 and says where, since a CI job that lost its report must not look clean.
 */
export class OutputError extends Error {
  constructor(what: string, where: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException)?.code ?? (cause instanceof Error ? cause.message : String(cause));
    super(`could not write the ${what} report to ${where}: ${code}`, { cause });
    // main redacts and escapes this message like every other line it writes.
    this.name = "OutputError";
  }
}
