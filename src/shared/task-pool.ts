/**
 * Runs queued tasks with at most `limit` in flight. After a task fails no queued task starts (the
 * work they would do is still owed, and the pull's cursor says so); `drain` waits for the running
 * ones, so their results are kept, then rethrows the first failure.
 */
export class TaskPool {
  private readonly queue: (() => Promise<void>)[] = [];
  private running = 0;
  private failed = false;
  private failure: unknown = undefined;
  private idle: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`Invalid concurrency ${limit}.`);
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  add(task: () => Promise<void>): void {
    this.queue.push(task);
    this.pump();
  }

  /** Resolves when nothing runs and nothing can start; rejects with the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    if (this.failed) throw this.failure;
  }

  /** Like `drain`, but never rejects. */
  settle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private isIdle(): boolean {
    return this.running === 0 && (this.failed || this.queue.length === 0);
  }

  private pump(): void {
    while (!this.failed && this.running < this.limit) {
      const task = this.queue.shift();
      if (task === undefined) break;
      this.running++;
      task().then(
        () => this.finish(),
        (error: unknown) => {
          if (!this.failed) {
            this.failed = true;
            this.failure = error;
          }
          this.finish();
        },
      );
    }
  }

  private finish(): void {
    this.running--;
    this.pump();
    if (this.isIdle()) {
      const waiting = this.idle;
      this.idle = [];
      for (const resolve of waiting) resolve();
    }
  }
}
