/**
 * Time and chance for the client and the live stream, behind one interface so that tests
 * can drive retries, timeouts and reconnects with a fake clock instead of waiting.
 */

export interface Scheduler {
  /** Epoch milliseconds. */
  now(): number;
  /** A number in [0, 1). */
  random(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  random: () => Math.random(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * Full-jitter exponential back-off: a uniformly random delay in
 * `[0, min(cap, base × 2^attempt))`, attempt counting from 0.
 */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, scheduler: Scheduler): number {
  return Math.floor(scheduler.random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts.
 */
export function sleep(ms: number, scheduler: Scheduler, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      scheduler.clearTimeout(handle);
      reject(signal!.reason);
    };
    const handle = scheduler.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
