/**
 * A bounded work queue: at most `concurrency` jobs run and at most `maxQueue` wait; beyond that
 * `tryRun` refuses at once instead of piling work up. Written here because the job is a dozen lines and
 * the refusal (not waiting) is the point; p-queue has no bound on waiting jobs.
 */
export class BoundedQueue {
  readonly #concurrency: number;
  readonly #maxQueue: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(concurrency: number, maxQueue: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}.`);
    }
    if (!Number.isInteger(maxQueue) || maxQueue < 0)
      throw new RangeError(`maxQueue must be an integer >= 0, got ${maxQueue}.`);
    this.#concurrency = concurrency;
    this.#maxQueue = maxQueue;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `job` when a slot frees; undefined (job not run) when the queue is full. */
  tryRun<T>(job: () => Promise<T>): Promise<T> | undefined {
    if (this.#running >= this.#concurrency && this.#waiting.length >= this.#maxQueue) return undefined;
    return this.#run(job);
  }

  async #run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await job();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
