/**
 * Expensive reads take turns, so that the light ones (limits, users, a first page, a
 * static file beside the handler) are answered while they run.
 *
 * Each expensive read is bounded on its own (DESIGN.md: a request the server cannot answer
 * in bounded time and memory is a 400), but many at once were not: 50 charts of 18,720
 * minute buckets, each about 100 ms of serialising and building on the one thread, held
 * `GET limits` for seconds, since every request that had arrived ran its next step before
 * the event loop read the next one. An expensive read waits here until fewer than
 * `concurrency` run (in arrival order), and starts a task later than it was admitted; it
 * yields again between its long steps (`nextTask`), so that each turn of the event loop
 * runs at most one such step per admitted read, and whatever else arrived meanwhile.
 */

/**
 * Resolves after the runtime's pending I/O and timers had their turn (a macrotask, not a
 * microtask): `setImmediate` on node, a timer elsewhere (the handler runs in browsers too).
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

export class Admission {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  /** `concurrency`: how many expensive reads may run at once (at least 1). */
  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('The concurrency of expensive reads must be an integer of at least 1.');
  }

  /** How many admitted reads run and how many wait (diagnostics, tests). */
  get load(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }

  /**
   * Runs `work` once admitted, from a task of its own; the next waiting read is admitted
   * when it settles. A read whose `signal` aborted by then (its client went away while it
   * waited) does not run: it rejects with the signal's reason and passes its turn on.
   */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#running < this.concurrency) this.#running++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      await nextTask();
      signal?.throwIfAborted();
      return await work();
    } finally {
      // The slot passes to the next read in line, or is given back.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
