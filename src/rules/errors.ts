/** A rule file that cannot be used. The message names the file, the rule id and the field. */
export class RuleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`[reliquat:rules] ${message}`, options);
    this.name = "RuleError";
  }
}
