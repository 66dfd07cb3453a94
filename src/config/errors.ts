/** A bad config, baseline, allowlist entry or weights file: exit code 2, nothing scanned. */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`[reliquat:config] ${message}`, options);
    this.name = "ConfigError";
  }
}
