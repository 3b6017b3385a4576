/**
 * A multi-select combobox (the WAI-ARIA "editable combobox with list autocomplete"
 * pattern) rendered inside its host's shadow root, so that `aria-activedescendant` and the
 * `<label>` reach the options: type-ahead over a paged lookup (debounced, a stale lookup
 * aborted), a listbox virtualized with @lit-labs/virtualizer that pages in the rows it
 * shows (so a list of 50,000 users scrolls smoothly), chips with remove buttons.
 *
 * The users and the endpoints of the filter bar are two instances of it.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js';
import { flow } from '@lit-labs/virtualizer/layouts/flow.js';
import { isAbortError, messageOf } from '../api/client.js';
import { holdUntil, retryHold } from '../base/retry-hold.js';
import { revealControls } from '../format/bidi.js';

/** One choice of the list. */
export interface ComboOption {
  readonly value: string;
  /** What the chip and the option show first (a user's name, else the ID). */
  readonly label: string;
  /** A second line in the option (a user's ID and email, an endpoint's event count). */
  readonly detail?: string;
}

/** One page of a lookup: the options from `offset` and how many match in all. */
export interface ComboPage {
  readonly items: readonly ComboOption[];
  readonly total: number;
}

export interface MultiComboboxConfig {
  /** Prefix of the DOM ids, unique in the host's shadow root. */
  readonly id: string;
  /** The visible label. */
  readonly label: string;
  readonly placeholder: string;
  /** The chosen thing, singular and plural ("user", "users"). */
  readonly noun: readonly [string, string];
  /** Rows per lookup request. */
  readonly pageSize: number;
  /** Most values that may be chosen. */
  readonly maxSelected: number;
  /** Quiet time after a keystroke before the lookup is sent. */
  readonly debounceMs: number;
  /** The chosen values now (from the filter state). */
  values(): readonly string[];
  /** Looks up the options matching `query`, `limit` of them from `offset`. */
  search(query: string, offset: number, limit: number, signal: AbortSignal): Promise<ComboPage>;
  /** Labels for chosen values not seen in a lookup yet (e.g. set from a URL); optional. */
  describe?(values: readonly string[], signal: AbortSignal): Promise<readonly ComboOption[]>;
  /** A person chose or removed values. */
  onChange(values: string[]): void;
  /** A lookup failed (reported as `usage-error` by the host). */
  onError(error: unknown): void;
  /** Formats a count for the status line ("50,000"). */
  formatCount(count: number): string;
  /** The locale and time zone a failed lookup's "Try again at …" is written in. */
  display(): { locale?: string | undefined; timeZone?: string };
}

/** Chips shown before the rest fold behind "+N more" (a list of 200 users stays a line or two). */
const FOLDED_CHIPS = 8;
/** Rows the listbox shows before it scrolls. */
const VISIBLE_ROWS = 7;
/** How many rows PageUp and PageDown move. */
const PAGE_STEP = 10;
/**
 * The list's layout, given rather than left to the virtualizer's default, which it loads
 * with `import()` on first use: a separate chunk fetched over the network when the picker
 * first opens, in a host's bundle. Its first guess of a row's height (the flow layout's
 * `_itemSize`, 100px unless given) is an option's at the default font size (44px): with
 * 100px, a new list rendered 14 rows, measured them in the next frame and rendered 16 more
 * and laid them out again in that frame; with the right guess its 30 rows come at once. Only
 * a guess: the rows are measured as before, so a themed option height still works.
 */
const LAYOUT = { ...flow(), _itemSize: { width: 100, height: 44 } };
/**
 * The popup opens in the top layer (a manual popover placed at its field by CSS anchor
 * positioning), so that a host's card with `overflow: hidden` or a transform cannot clip
 * it; where either is missing, it stays positioned under its field in the page.
 */
const TOP_LAYER = typeof HTMLElement !== 'undefined' && 'showPopover' in HTMLElement.prototype && !!globalThis.CSS?.supports('anchor-name', '--a');


/** The lookup of one query: its loaded pages, its count, and the requests in flight. */
class Lookup {
  readonly pages = new Map<number, readonly ComboOption[]>();
  readonly inFlight = new Map<number, AbortController>();
  total: number | null = null;
  /** The list the virtualizer renders: row indices, replaced when the count changes. */
  rows: number[] = [];
  /** Why the first page failed: its message, and the error (when Retry may be pressed: `retryHold`). */
  error: { message: string; cause: object } | null = null;

  constructor(readonly query: string) {}

  abortAll(): void {
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
  }
}

export class MultiComboboxController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  /** The rows the virtualizer last rendered (its rangeChanged), or null before it has. */
  #renderedRange: { first: number; last: number } | null = null;
  readonly #config: MultiComboboxConfig;
  /** The text in the input. */
  #query = '';
  #open = false;
  #activeIndex = -1;
  /** The newest lookup. */
  #lookup: Lookup | null = null;
  /** The lookup whose rows are shown: the newest once it answered, the previous one until then (no flash). */
  #shown: Lookup | null = null;
  #scrollToTop?: boolean;
  #pendingQuery: string | null = null;
  #debounce: ReturnType<typeof setTimeout> | undefined;
  /** Labels of every value seen in a lookup or resolved by `describe`. */
  readonly #labels = new Map<string, ComboOption>();
  readonly #described = new Set<string>();
  #describing: AbortController | null = null;
  /** A message about the choice itself (the limit reached). */
  #notice: string | null = null;
  /** Whether every chip is shown though there are more than `FOLDED_CHIPS`. */
  #unfolded?: boolean;

  constructor(host: ReactiveControllerHost & HTMLElement, config: MultiComboboxConfig) {
    this.#host = host;
    this.#config = config;
    host.addController(this);
  }

  /** Whether a lookup is on its way (typed and not yet sent, or sent and not answered). */
  get busy(): boolean {
    return this.#pendingQuery !== null || (this.#lookup?.inFlight.size ?? 0) > 0;
  }

  hostDisconnected(): void {
    this.#stop();
    this.#open = false;
  }

  hostUpdated(): void {
    const listbox = this.#part<VirtualizerHostElement>('listbox');
    if (listbox) {
      // Through the CSSOM, which a strict `style-src` allows (a `style` attribute it blocks).
      // A min-height of its own keeps the virtualizer's default 150px off a short list.
      listbox.style.setProperty('--_rows', String(Math.min(this.#shown?.rows.length ?? 0, VISIBLE_ROWS)));
      listbox.style.minHeight = '0';
      if (this.#scrollToTop) listbox.scrollTop = 0;
    }
    const popup = this.#part<HTMLElement>('popup');
    if (popup && TOP_LAYER) {
      const anchor = `--${this.#config.id}-field`;
      this.#part<HTMLElement>('field')!.style.setProperty('anchor-name', anchor);
      popup.style.setProperty('position-anchor', anchor);
      if (this.#open !== popup.matches(':popover-open')) popup.togglePopover(this.#open);
    }
    this.#scrollToTop = false;
    this.#describeUnknown();
  }

  /** Forgets every lookup and label: the endpoint or the request options changed. */
  reset(): void {
    this.#stop();
    this.#labels.clear();
    this.#activeIndex = -1;
    if (this.#open) this.#lookUp(this.#query);
    this.#host.requestUpdate();
  }

  /** Stops every request and forgets the lookups (labels not described yet will be asked again). */
  #stop(): void {
    clearTimeout(this.#debounce);
    this.#pendingQuery = null;
    this.#lookup?.abortAll();
    this.#lookup = null;
    this.#shown = null;
    this.#describing?.abort();
    this.#describing = null;
    for (const value of this.#described) if (!this.#labels.has(value)) this.#described.delete(value);
  }

  /** Opens the listbox, looking up the current text if it has not been yet. */
  show(): void {
    if (this.#open) return;
    this.#open = true;
    this.#notice = null;
    // A failed lookup is tried again, unless a 429 said when (its Retry is held until then).
    if (!this.#lookup || (this.#lookup.query !== this.#query && this.#pendingQuery === null) || (this.#lookup.error !== null && retryHold(this.#lookup.error.cause).at <= Date.now())) {
      this.#lookUp(this.#query);
    }
    this.#host.requestUpdate();
  }

  hide(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#activeIndex = -1;
    // The next list starts at its top: its first rows are in the page until it says otherwise.
    this.#renderedRange = null;
    this.#notice = null;
    this.#host.requestUpdate();
  }

  /** The label of a value: its option's, else the value itself. */
  labelOf(value: string): string {
    return this.#labels.get(value)?.label ?? value;
  }

  // Its buttons carry no type="button": no <form> reaches into a shadow tree (a host's form
  // around the element is not theirs), so they submit nothing (dashboard-pieces.test.ts).
  render(): TemplateResult {
    const { id, label } = this.#config;
    const lookup = this.#shown;
    const rows = lookup?.rows ?? [];
    const showList = this.#open && rows.length > 0;
    const active = showList && this.#activeIndex >= 0 && this.#activeIndex < rows.length && this.#isRendered(this.#activeIndex) ? `${id}-option-${this.#activeIndex}` : nothing;
    return html`<div class="combo" part="combobox ${id}" @focusout=${this.#handleFocusOut}>
      <label class="field-label" part="label" id="${id}-label" for="${id}-input">${label}</label>
      <div class="combo-field" part="combobox-field" id="${id}-field" @click=${this.#handleFieldClick}>
        ${this.#renderChips()}
        <input
          id="${id}-input"
          class="combo-input"
          part="input combobox-input"
          type="text"
          role="combobox"
          autocomplete="off"
          spellcheck="false"
          aria-autocomplete="list"
          aria-haspopup="listbox"
          aria-expanded=${this.#open ? 'true' : 'false'}
          aria-controls="${id}-listbox"
          aria-activedescendant=${active}
          aria-describedby="${id}-status"
          placeholder=${this.#config.placeholder}
          .value=${live(this.#query)}
          @input=${this.#handleInput}
          @keydown=${this.#handleKeydown}
        />
      </div>
      <div
        class="combo-popup"
        part="listbox-popup"
        id="${id}-popup"
        popover=${TOP_LAYER ? 'manual' : nothing}
        ?hidden=${!this.#open}
        @mousedown=${this.#keepFocus}
      >
        <div class="combo-status" part="listbox-status" id="${id}-status" role="status">${this.#statusText()}</div>
        ${lookup?.error
          ? html`<button class="combo-retry" part="retry" ${holdUntil(retryHold(lookup.error.cause).at)} @click=${this.#retry}>Retry</button>`
          : nothing}
        <div
          id="${id}-listbox"
          class="listbox"
          part="listbox"
          role="listbox"
          aria-multiselectable="true"
          aria-labelledby="${id}-label"
          aria-busy=${this.busy ? 'true' : 'false'}
          ?hidden=${!showList}
          @rangeChanged=${this.#handleRangeChanged}
        >
          ${showList
            ? virtualize({ items: rows, scroller: true, layout: LAYOUT, renderItem: (index: number) => this.#renderOption(index) })
            : nothing}
        </div>
      </div>
    </div>`;
  }

  #renderChips(): TemplateResult | typeof nothing {
    const values = this.#config.values();
    if (values.length === 0) return nothing;
    const [one, many] = this.#config.noun;
    // "+1 more" would take the room of the chip it hides.
    const foldable = values.length > FOLDED_CHIPS + 1;
    // Down to a list that does not fold, it folds again once it grows past it.
    if (!foldable) this.#unfolded = false;
    const folded = foldable && !this.#unfolded;
    const action = (part: string, label: string, click: () => void, expanded?: boolean) =>
      html`<li><button class="chip chip-action" part=${part} aria-expanded=${expanded ?? nothing} @click=${click}>${label}</button></li>`;
    return html`<ul class="chips" part="chips" aria-label="Chosen ${values.length === 1 ? one : many}">
      ${(folded ? values.slice(0, FOLDED_CHIPS) : values).map((value) => {
        const named = this.labelOf(value);
        const label = revealControls(named);
        const title = revealControls(named === value ? value : `${named} (${value})`);
        return html`<li class="chip" part="chip" title=${title}>
          <span class="chip-label">${label}</span>
          <button class="chip-remove" part="chip-remove" aria-label="Remove ${one} ${title}" @click=${() => this.#remove(value)}>
            <span aria-hidden="true">×</span>
          </button>
        </li>`;
      })}
      ${foldable
        ? action('chip-more', folded ? `+${this.#config.formatCount(values.length - FOLDED_CHIPS)} more ${many}` : `Show fewer ${many}`, () => {
            this.#unfolded = folded;
            this.#host.requestUpdate();
          }, !folded)
        : nothing}
      ${values.length > 1 ? action('chip-clear', `Clear ${many}`, () => this.#remove()) : nothing}
    </ul>`;
  }

  #renderOption(index: number): TemplateResult {
    const option = this.#optionAt(index);
    // A row not loaded yet is a disabled placeholder until its page comes.
    const selected = !!option && this.#config.values().includes(option.value);
    return html`<div
      class="option ${option ? '' : 'placeholder'}"
      part="option${selected ? ' option-selected' : ''}"
      role="option"
      id="${this.#config.id}-option-${index}"
      aria-selected=${selected ? 'true' : 'false'}
      aria-disabled=${option ? nothing : 'true'}
      aria-setsize=${this.#shown!.total ?? 0}
      aria-posinset=${index + 1}
      ?data-active=${index === this.#activeIndex}
      @click=${() => this.#toggle(index)}
    >
      ${option
        ? html`<span class="check" aria-hidden="true">${selected ? '✓' : ''}</span>
            <span class="option-text">
              <span class="option-label">${revealControls(option.label)}</span>
              ${option.detail ? html`<span class="option-detail">${revealControls(option.detail)}</span>` : nothing}
            </span>`
        : 'Loading…'}
    </div>`;
  }

  #statusText(): string {
    const [one, many] = this.#config.noun;
    // Closed, the list has nothing to say: the field's description would otherwise be a
    // "Loading users…" never asked for, or a count of a query since cleared.
    if (!this.#open) return '';
    if (this.#notice) return this.#notice;
    const lookup = this.#shown;
    // The time to try again at, said only until it passes (the error keeps its instant).
    if (lookup?.error) return `The ${many} could not be loaded: ${lookup.error.message}${retryHold(lookup.error.cause, this.#config.display()).when}`;
    if (!lookup || lookup.total === null) return `Loading ${many}…`;
    const query = lookup.query.trim();
    if (lookup.total === 0) return query ? `No ${many} match “${query}”.` : `No ${many}.`;
    const count = `${this.#config.formatCount(lookup.total)} ${lookup.total === 1 ? one : many}`;
    const chosen = this.#config.values().length;
    return `${count}${query ? ` match “${query}”` : ''}${chosen ? ` · ${this.#config.formatCount(chosen)} chosen` : ''}`;
  }

  #optionAt(index: number): ComboOption | undefined {
    const lookup = this.#shown;
    if (!lookup) return undefined;
    const { pageSize } = this.#config;
    return lookup.pages.get(Math.floor(index / pageSize))?.[index % pageSize];
  }

  /** Starts the lookup of `query` now, aborting the previous one. */
  #lookUp(query: string): void {
    clearTimeout(this.#debounce);
    this.#pendingQuery = null;
    this.#lookup?.abortAll();
    const lookup = new Lookup(query);
    this.#lookup = lookup;
    if (!this.#shown || this.#shown.error) this.#shown = lookup;
    this.#activeIndex = -1;
    this.#loadPage(lookup, 0);
  }

  #loadPage(lookup: Lookup, page: number): void {
    if (lookup.pages.has(page) || lookup.inFlight.has(page)) return;
    const { pageSize } = this.#config;
    if (lookup.total !== null && page * pageSize >= lookup.total) return;
    const controller = new AbortController();
    lookup.inFlight.set(page, controller);
    this.#config
      .search(lookup.query, page * pageSize, pageSize, controller.signal)
      .then((answer) => {
        if (controller.signal.aborted) return;
        lookup.pages.set(page, answer.items);
        for (const option of answer.items) this.#labels.set(option.value, option);
        if (answer.total !== lookup.total || lookup.rows.length !== answer.total) {
          lookup.total = answer.total;
          lookup.rows = Array.from({ length: answer.total }, (_, i) => i);
        }
        lookup.error = null;
        if (lookup === this.#lookup && this.#shown !== lookup) {
          this.#shown = lookup;
          this.#activeIndex = -1;
          this.#scrollToTop = true;
        }
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        if (page === 0) {
          lookup.error = { message: messageOf(error), cause: error as object };
          lookup.rows = [];
          lookup.total = null;
          if (lookup === this.#lookup) this.#shown = lookup;
        }
        this.#config.onError(error);
      })
      .finally(() => {
        if (lookup.inFlight.get(page) === controller) lookup.inFlight.delete(page);
        if (lookup === this.#lookup || lookup === this.#shown) this.#host.requestUpdate();
      });
    this.#host.requestUpdate();
  }

  /** Chosen values without a label yet (set from outside): one `describe` call for them all. */
  #describeUnknown(): void {
    const describe = this.#config.describe;
    if (!describe) return;
    const unknown = this.#config.values().filter((v) => !this.#labels.has(v) && !this.#described.has(v));
    if (unknown.length === 0) return;
    for (const value of unknown) this.#described.add(value);
    const controller = new AbortController();
    this.#describing = controller;
    describe(unknown, controller.signal)
      .then((options) => {
        if (controller.signal.aborted) return;
        for (const option of options) this.#labels.set(option.value, option);
        this.#host.requestUpdate();
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        this.#config.onError(error);
      });
  }

  #toggle(index: number): void {
    const option = this.#optionAt(index);
    if (!option) return;
    this.#activeIndex = index;
    // The query stays, for more of its matches, selected: the next name typed replaces it
    // ("liam", a pick, then "gupta" looked up "liamgupta").
    this.#part<HTMLInputElement>('input')?.select();
    const values = this.#config.values();
    if (values.includes(option.value)) {
      this.#notice = null;
      this.#config.onChange(values.filter((v) => v !== option.value));
      return;
    }
    if (values.length >= this.#config.maxSelected) {
      this.#notice = `At most ${this.#config.maxSelected} ${this.#config.noun[1]} can be chosen; remove one first.`;
      this.#host.requestUpdate();
      return;
    }
    this.#notice = null;
    this.#config.onChange([...values, option.value]);
  }

  /** Removes one chosen value, or every one. */
  #remove(value?: string): void {
    this.#notice = null;
    this.#config.onChange(value === undefined ? [] : this.#config.values().filter((v) => v !== value));
    // The chip and its button are gone: keep the focus in the combobox.
    this.#part('input')?.focus();
  }

  /** Moves the active option; before the first answer, the first option becomes active when it comes. */
  #moveActive(to: number): void {
    const total = this.#shown?.rows.length ?? 0;
    this.#activeIndex = Math.max(0, Math.min(total - 1, to));
    this.#host.requestUpdate();
    void this.#host.updateComplete.then(() => this.#scrollToActive());
  }

  async #scrollToActive(): Promise<void> {
    const virtualizer = this.#part<VirtualizerHostElement>('listbox')?.[virtualizerRef];
    if (!virtualizer) return;
    const scroll = () => virtualizer.element(this.#activeIndex)?.scrollIntoView({ block: 'nearest' });
    try {
      scroll();
    } catch {
      // Before its first layout there is nothing to scroll to: scroll once it is done (or never, if it closed).
      await virtualizer.layoutComplete.then(scroll, () => undefined);
    }
  }

  /** One of this picker's elements by its id suffix (`listbox`, `popup`, `field`, `input`). */
  #part<E extends HTMLElement>(name: string): E | null | undefined {
    return this.#host.shadowRoot?.getElementById(`${this.#config.id}-${name}`) as E | null | undefined;
  }

  #handleInput = (event: Event): void => {
    this.#query = (event.target as HTMLInputElement).value;
    this.#open = true;
    this.#notice = null;
    this.#activeIndex = -1;
    // A lookup of older text is stale now: stop it at once, and wait for a pause in typing.
    this.#lookup?.abortAll();
    this.#pendingQuery = this.#query;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => this.#lookUp(this.#query), this.#config.debounceMs);
    this.#host.requestUpdate();
  };

  #handleKeydown = (event: KeyboardEvent): void => {
    const total = this.#shown?.rows.length ?? 0;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!this.#open) this.show();
        if (!event.altKey) this.#moveActive(this.#activeIndex + 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (!this.#open) this.show();
        this.#moveActive(this.#activeIndex < 0 ? total - 1 : this.#activeIndex - 1);
        break;
      case 'PageDown':
        if (!this.#open) return;
        event.preventDefault();
        this.#moveActive(this.#activeIndex + PAGE_STEP);
        break;
      case 'PageUp':
        if (!this.#open) return;
        event.preventDefault();
        this.#moveActive(this.#activeIndex - PAGE_STEP);
        break;
      case 'Home':
      case 'End':
        // With Ctrl, to the first or last option; without, the caret moves in the text.
        if (!this.#open || !event.ctrlKey) return;
        event.preventDefault();
        this.#moveActive(event.key === 'Home' ? 0 : total - 1);
        break;
      case 'Enter':
        if (!this.#open || this.#activeIndex < 0) return;
        event.preventDefault();
        this.#toggle(this.#activeIndex);
        break;
      case 'Escape':
        if (this.#open) {
          event.preventDefault();
          event.stopPropagation();
          this.hide();
        } else if (this.#query) {
          event.preventDefault();
          this.#query = '';
          this.#host.requestUpdate();
        }
        break;
      case 'Backspace': {
        const values = this.#config.values();
        if (this.#query === '' && values.length > 0) this.#remove(values[values.length - 1]!);
        break;
      }
      case 'Tab': {
        // A failed lookup's Retry lives in the popup: Tab goes to it rather than past it.
        const retry = this.#open && !event.shiftKey ? this.#part('popup')?.querySelector<HTMLElement>('.combo-retry') : null;
        if (retry) {
          event.preventDefault();
          retry.focus();
        } else this.hide();
        break;
      }
    }
  };

  #handleFieldClick = (event: Event): void => {
    if ((event.target as Element).closest('button')) return;
    this.#part('input')?.focus();
    if (this.#open) this.hide();
    else this.show();
  };

  #handleFocusOut = (event: FocusEvent): void => {
    const combo = event.currentTarget as HTMLElement;
    if (event.relatedTarget instanceof Node && combo.contains(event.relatedTarget)) return;
    // The text only looked up options: left behind, it read as a value beside the chips.
    this.#query = '';
    this.hide();
    this.#host.requestUpdate();
  };

  /** Clicks in the popup (an option, the scrollbar) keep the focus in the input. */
  #keepFocus = (event: Event): void => {
    if ((event.target as Element).closest('button')) return;
    event.preventDefault();
  };

  #retry = (event: Event): void => {
    // Held (aria-disabled, keeping the focus) until the time a 429 gave.
    if ((event.currentTarget as Element).hasAttribute('aria-disabled')) return;
    this.#lookUp(this.#query);
    this.#part('input')?.focus();
  };

  /**
   * Whether the virtualizer has the option in the page (unknown before its first range: the
   * first rows are). `aria-activedescendant` must not name an option scrolled out of it.
   */
  #isRendered(index: number): boolean {
    const range = this.#renderedRange;
    return !range || (index >= range.first && index <= range.last);
  }

  #handleRangeChanged = (event: RangeChangedEvent): void => {
    const wasRendered = this.#isRendered(this.#activeIndex);
    this.#renderedRange = event;
    if (wasRendered !== this.#isRendered(this.#activeIndex)) this.#host.requestUpdate();
    const lookup = this.#shown;
    if (!lookup || lookup.total === null) return;
    const { pageSize } = this.#config;
    const first = Math.floor(Math.max(0, event.first) / pageSize);
    const last = Math.floor(Math.max(0, event.last) / pageSize);
    // Rows scrolled far past are not worth their requests any more.
    for (const [page, controller] of lookup.inFlight) {
      if (page < first - 1 || page > last + 1) {
        controller.abort();
        lookup.inFlight.delete(page);
      }
    }
    for (let page = first; page <= last; page++) this.#loadPage(lookup, page);
  };
}
