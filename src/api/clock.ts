/**
 * The endpoint's clock, as its answers' `Date` header tells it: presets resolve against the
 * endpoint's now, not the browser's. A browser ten minutes slow asked for "Last 24 hours"
 * ending ten minutes before the newest events (and lost them on every roll); a day fast, for
 * a day to come. Differences within a minute are left alone: a range is resolved to the
 * minute, one past now.
 */

/** Below this, the browser's clock is taken as it is. */
const CLOSE_ENOUGH_MS = 60_000;

let skew = 0;
const listeners = new Set<() => void>();

/** Now, by the endpoint's clock as far as its answers have told it (the browser's until then). */
export function serverNow(): number {
  return Date.now() + skew;
}

/**
 * Notes an answer's `Date` header (whole seconds; readable across origins only where the
 * endpoint exposes it), the request sent at `sentAt` and answered at `receivedAt` by the
 * browser's clock. Tells every listener when the clock it gives has moved by more than a minute.
 */
export function noteServerDate(date: string | null, sentAt: number, receivedAt: number): void {
  const server = date ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(server)) return;
  const offset = server + 500 - (sentAt + receivedAt) / 2;
  const next = Math.abs(offset) < CLOSE_ENOUGH_MS ? 0 : offset;
  if (Math.abs(next - skew) < CLOSE_ENOUGH_MS) return;
  skew = next;
  for (const listener of [...listeners]) listener();
}

/** Calls `listener` when the endpoint's clock, as `serverNow` gives it, moves; returns the function that stops it. */
export function onServerClock(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
