/**
 * A Retry held through a `Retry-After`: when an error's Retry may be pressed, the sentence
 * that says so, and the directive that holds the button until then. Shared by the pieces'
 * error state (states.ts) and the filter bar's pickers, apart from the states' templates.
 */
import { noChange } from 'lit';
import { Directive, directive, type ElementPart } from 'lit/directive.js';
import { MAX_RETRY_AFTER_MS } from '../api/client.js';
import { formatDateTime } from '../format/datetime.js';

/** When each error's Retry may be pressed: its `Retry-After` counted from when it was first shown. */
const retryTimes = new WeakMap<object, number>();

/**
 * Holds a button (`aria-disabled`, so that it keeps the focus) until the instant given, then
 * lets it go by itself and asks its host to render again (the sentence saying when goes).
 */
class HoldUntil extends Directive {
  #timer?: ReturnType<typeof setTimeout>;

  render(_at: number): unknown {
    return noChange;
  }

  override update(part: ElementPart, [at]: [number]): unknown {
    const button = part.element;
    clearTimeout(this.#timer);
    if (at > Date.now()) {
      button.setAttribute('aria-disabled', 'true');
      this.#timer = setTimeout(() => {
        button.removeAttribute('aria-disabled');
        (part.options?.host as { requestUpdate?(): void } | undefined)?.requestUpdate?.();
      }, at - Date.now());
    } else button.removeAttribute('aria-disabled');
    return noChange;
  }
}
/** Holds a button (`aria-disabled`) until the instant given (see `retryHold`). */
export const holdUntil = directive(HoldUntil);

/**
 * When an error's Retry may be pressed (0: now) and the sentence that says so: an error that
 * says when to ask again (a 429's `Retry-After` longer than the client waits, a minute) is
 * held until then, counted from when it was first shown, at that time in `locale` and `timeZone`.
 */
export function retryHold(
  error: { retryAfterMs?: number | undefined },
  { locale, timeZone }: { locale?: string | undefined; timeZone?: string } = {},
): { at: number; when: string } {
  let at = retryTimes.get(error) ?? 0;
  // A shorter wait was already waited out by the client's own retries.
  if (!at && error.retryAfterMs! > MAX_RETRY_AFTER_MS) retryTimes.set(error, (at = Date.now() + error.retryAfterMs!));
  // Written as "Data as of" is (the shared formatter: the repeated hour's zone named too).
  return { at, when: at > Date.now() ? ` Try again at ${formatDateTime(at, { locale, timeZone })}.` : '' };
}

/** How soon a piece asks again by itself after a failure that may pass; tests shorten it. */
export const RETRY_BY_ITSELF = { minMs: 30_000, maxMs: 300_000 };

/** Each piece's run of failures: when it began, when the last retry was set, when Retry was last pressed by itself. */
const failing = new WeakMap<object, { since: number; last: number; pressed?: number }>();

/**
 * Presses a Retry by itself (as a person would, so the focus is kept) while the failure may
 * pass: the browser back online at once; otherwise after as long as the piece has been
 * failing, from 30 s up to 5 minutes, so that a wall screen whose network or server was
 * down shows its data again without a hand on it; not before `at`, a Retry held through a
 * `Retry-After`. Set again for each new error. A failure that follows is shown in a status,
 * not an alert: a screen reader hears the outage once, not at each attempt.
 */
class RetryByItself extends Directive {
  #error: unknown;

  render(_error: unknown, _at: number): unknown {
    return noChange;
  }

  override update(part: ElementPart, [error, at]: [unknown, number]): unknown {
    if (error === this.#error) return noChange;
    this.#error = error;
    const button = part.element as HTMLElement;
    const host = part.options?.host ?? button;
    const now = Date.now();
    let run = failing.get(host);
    // A failure long after the last retry was set starts a new run.
    if (!run || now - run.last > 2 * RETRY_BY_ITSELF.maxMs) failing.set(host, (run = { since: now, last: now }));
    run.last = now;
    // Failed again after Retry pressed itself: shown, not said again (an alert at each attempt
    // of a long outage, every piece's, would talk over the page). The alert is not yet in the
    // page: its role is read as it appears.
    if (now - run.pressed! < RETRY_BY_ITSELF.maxMs) button.parentElement!.setAttribute('role', 'status');
    run.pressed = 0;
    const press = (): void => {
      // Back online while held: the timer, set past the hold, presses it.
      if (button.hasAttribute('aria-disabled') && button.isConnected) return;
      clearTimeout(timer);
      removeEventListener('online', press);
      if (button.isConnected && this.#error === error) {
        run.pressed = Date.now();
        button.click();
      }
    };
    // Not before a Retry held through a `Retry-After` is let go.
    const timer = setTimeout(press, Math.max(at - now + 1_000, Math.min(RETRY_BY_ITSELF.maxMs, Math.max(RETRY_BY_ITSELF.minMs, now - run.since))));
    addEventListener('online', press);
    return noChange;
  }
}
/** Presses Retry by itself after a failure that may pass (see `RetryByItself`). */
export const retryByItself = directive(RetryByItself);

/** Whether a failure may pass by itself: the network, a timeout, the server's 5xx or 429. */
export function mayPass(error: { code?: unknown; status?: number | undefined }): boolean {
  return error.code === 'network' || error.code === 'timeout' || error.status! >= 500 || error.status === 429;
}
