/**
 * A rolling preset is open at its end for live events (DESIGN.md, "The filter state"): a
 * piece that took in live events past the resolved `to` keeps them when it asks again (a
 * sort, a page, "show", a reset) by sending a later `to`, the minute after the newest. A
 * live event alone asks for nothing. After a stream reset the later `to` is the minute after
 * now.
 */
import { formatInstant } from '../api/contract.js';
import type { FilterView } from './usage-element.js';

export class LiveEnd {
  /** The resolved `to` the later end extends, and that end (ms). */
  #for?: string;
  #to = 0;

  /** A live event of `created` (ms) was taken in under `view`. */
  note(view: FilterView, created: number): void {
    if (!view.openEnded || created < Date.parse(view.to)) return;
    if (this.#for !== view.to) this.#to = 0;
    this.#for = view.to;
    this.#to = Math.max(this.#to, Math.floor(created / 60_000) * 60_000 + 60_000);
  }

  /**
   * The stream reset (events were skipped, not received): the refetch reaches the minute
   * after now, so that events past the resolved `to` among them are not left out.
   */
  reset(view: FilterView): void {
    this.note(view, Date.now());
  }

  /** The `to` to send for a range resolved to `to`: later when live events went past it. */
  to(openEnded: boolean, to: string): string {
    return openEnded && this.#for === to ? formatInstant(this.#to) : to;
  }
}
