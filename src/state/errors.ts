/** A state file that cannot be used as it is: exit 2, with the file and the fix in the message. */
export class StateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`[reliquat:state] ${message}`, options);
    this.name = "StateError";
  }
}
