import type { LimitFunction } from "p-limit";

/**
 * Feeds tasks from a listing into p-limit without listing ahead of the work: `add` waits
 * while `ahead` tasks are queued or running. One counter and one waiter, instead of a
 * Promise.race over every task in flight (which attaches a handler per task per call).
 */
export class TaskWindow {
  private pending = 0;
  private wake: (() => void) | undefined;
  private error: { cause: unknown } | undefined;

  constructor(
    private readonly limit: LimitFunction,
    private readonly ahead: number,
  ) {}

  /** Starts `task` under the limit; resolves once there is room for the next one. */
  async add(task: () => Promise<void>): Promise<void> {
    this.pending++;
    this.limit(task)
      .catch((cause: unknown) => {
        this.error ??= { cause };
      })
      .finally(() => {
        this.pending--;
        this.notify();
      });
    while (this.pending >= this.ahead && !this.error) await this.waitForChange();
    if (this.error) throw this.error.cause;
  }

  /** Waits for every task; rethrows the first task error (cancellation). */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.waitForChange();
    if (this.error) throw this.error.cause;
  }

  private waitForChange(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
