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
