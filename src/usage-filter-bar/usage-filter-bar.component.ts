import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { fetchEndpoints, fetchUsers, fetchUsersById } from '../api/client.js';
import { IO_TYPES, LIMITS, POOL_CATEGORIES, RESOURCE_TYPES, type ResourceType, type UserSummary } from '../api/contract.js';
import { keepFocus } from '../base/keep-focus.js';
import { pieceThemeStyles } from '../base/theme.js';
import { UsageElement } from '../base/usage-element.js';
import {
  RANGE_PRESETS,
  applyFilterPatch,
  sameFilterState,
  type IoType,
  type PoolCategory,
  type RangePreset,
  type UsageFilterState,
} from '../filters/state.js';
import { countPhrase, formatRange, ioTypeLabel, poolCategoryLabel, resourceTypeLabel, unitLabel } from '../format/index.js';
import {
  RANGE_PRESET_LABELS,
  amountExample,
  amountInputText,
  parseAmountRange,
  parseCustomRange,
  parseRequestIdInput,
  summarizeFilters,
  toLocalInput,
  type Parsed,
  type RangeEnd,
} from './filter-bar-model.js';
import { MultiComboboxController, type ComboOption } from './multi-combobox.js';
import { usageFilterBarStyles } from './usage-filter-bar.styles.js';

/** The text fields a person types into; their drafts live here until they apply. */
type TextField = 'amountMin' | 'amountMax' | 'requestId';

/** The value of the range select when the range is custom, or lifted by a request ID. */
const CUSTOM = 'custom';
const ALL_DATES = 'all-dates';
/** Rows per users lookup: the contract's largest `limit`. */
const USERS_PAGE = LIMITS.usersMaxLimit;
/** A pause in typing this long applies what was typed. */
const TYPING_APPLY_MS = 400;
const LOOKUP_DEBOUNCE_MS = 150;

function userOption(user: UserSummary): ComboOption {
  const detail = [user.name ? user.id : null, user.email ?? null].filter((part): part is string => part !== null).join(' · ');
  return { value: user.id, label: user.name || user.id, ...(detail ? { detail } : {}) };
}

/** How long a range chosen by keyboard rests before it applies. */
const RANGE_KEY_PAUSE_MS = 600;

/**
 * The controls of the shared filter state: date range (presets and a custom range in the
 * element's time zone), resource type, users (a type-ahead multi-select over the `users`
 * route with a virtualized list), pool category and I/O type toggles, an amount range in
 * the unit of the resource type, a request ID search, endpoints, a reset (to the state the
 * page set up: the holder's filter attributes and `filters`, else the defaults), and a compact
 * summary. Nested in `<usage-filters>` (or through `filter-group`) it changes the shared
 * state of every piece; alone it holds its own and announces each change.
 *
 * Every change a person makes goes through the holder's `update`; typed values (amounts,
 * request ID) apply after a pause in typing, the first as a new history entry and the
 * rest replacing it, and at once on Enter or when the field is left. A bad value is
 * refused with a message at its control and nothing is sent.
 *
 * "Custom range…" opens From and To boxes with Apply (Enter applies, Escape cancels);
 * an applied custom range, a chart's brush included, then reads as its dates under the
 * select, as a preset does, with an Edit button that opens the boxes again: the bar keeps
 * its shape when a brush changes the range. The boxes are native `datetime-local` inputs, read and written as wall-clock
 * times in the element's `time-zone` (named beside them); the browser draws them in its own
 * language, so the summary shows the applied range in the element's `locale`. A time the
 * zone's clocks skip (02:30 when they go from 02:00 to 03:00) is refused with the gap
 * named, rather than read as the hour after; a time they show twice (clocks going back)
 * reads as its first occurrence, and an applied end left as it is keeps its own. While a
 * request ID is set the range reads "all dates (request ID)" and is locked until the ID is
 * cleared; the amount range needs a resource type and is disabled under "All".
 *
 * In a bar narrower than 36em (a phone), the controls past the date range and the resource
 * type fold behind a "More filters (N)" button (N: how many of them are set, not counting a
 * field the host hides, such as `::part(field users) { display: none }` on a per-user page),
 * so that the page's first screen still shows what the filters choose. A field in use as the
 * bar narrows stays shown, the button reading "Fewer filters"; the button, focused as the
 * bar widens, stays until the focus leaves it.
 *
 * The bar loads no data of its own, so `loading` and `error` stay off (a busy bar would
 * silence the picker a person is typing in): each picker shows its look-up in progress
 * (`aria-busy` on its list) and a failure with Retry in its popup, and reports `usage-error`.
 *
 * @summary The filter controls of the usage dashboard.
 * @fires {UsageFiltersChangeEvent} usage-filters-change - A person changed the filters here; dispatched by the state's holder, or by the bar itself when alone or in a `filter-group` without a `<usage-filters>`.
 * @fires {UsageErrorEvent} usage-error - A lookup of users or endpoints failed, or an attribute had a bad value.
 * @csspart base - The bar's frame.
 * @csspart header - The row with the summary and the reset button.
 * @csspart summary - The compact summary of the active filters ("7 days · tokens · 3 users").
 * @csspart reset - The "Reset filters" button.
 * @csspart controls - The wrapping row of controls.
 * @csspart more-toggle - In a bar narrower than 36em (a phone), the "More filters (2)" button that shows the controls past the date range and the resource type (with the count of those set that the host shows), and hides them again.
 * @csspart field - Each control group; each also carries its control's name (the parts below).
 * @csspart range - The date range control.
 * @csspart resource-type - The resource type control.
 * @csspart users - The users control (its field and its picker).
 * @csspart pool-categories - The pool category toggles.
 * @csspart io-types - The I/O type toggles.
 * @csspart amount - The amount range control.
 * @csspart request-id - The request ID search.
 * @csspart endpoints - The endpoints control (its field and its picker).
 * @csspart label - A control's label.
 * @csspart input - Every text, date and search input.
 * @csspart select - The range preset select.
 * @csspart custom-range - The custom range inputs and their Apply button.
 * @csspart apply - The custom range's Apply button.
 * @csspart edit-range - The Edit button beside an applied custom range's dates: opens its inputs.
 * @csspart segment - A resource type choice.
 * @csspart toggle - A pool category or I/O type toggle button.
 * @csspart message - A validation message at its control.
 * @csspart combobox - The users and endpoints pickers (each also `users` or `endpoints`).
 * @csspart combobox-field - The picker's box holding the chips and the input.
 * @csspart combobox-input - The picker's text input (also `input`).
 * @csspart chips - The list of chosen values.
 * @csspart chip - A chosen value.
 * @csspart chip-remove - A chip's remove button.
 * @csspart chip-more - Past nine chosen values, the button that shows the rest ("+12 more users") or folds them again ("Show fewer users").
 * @csspart chip-clear - With two or more chosen values, the button that removes them all ("Clear users").
 * @csspart listbox-popup - The picker's popup.
 * @csspart listbox-status - The picker's count or message line.
 * @csspart listbox - The virtualized option list.
 * @csspart option - An option of a picker.
 * @csspart option-selected - An option that is chosen (also `option`).
 * @csspart retry - Retries a failed lookup.
 * @cssprop [--usage-filter-bar-gap=calc(var(--usage-space) * 1.5)] - Space between controls.
 * @cssprop [--usage-filter-bar-padding=calc(var(--usage-space) * 1.5)] - Padding of the frame.
 * @cssprop [--usage-filter-bar-background=var(--usage-color-surface)] - Background of the frame.
 * @cssprop [--usage-filter-bar-border-color=color-mix(in srgb, var(--usage-color-border) 45%, var(--usage-color-surface))] - Border of the frame (the table's frame colour).
 * @cssprop [--usage-filter-bar-field-width=11rem] - Base width of a control before the row wraps.
 * @cssprop [--usage-filter-bar-control-height=2.25rem] - Height of inputs and buttons.
 * @cssprop [--usage-filter-bar-option-height=2.75rem] - Height of a picker option.
 * @cssprop [--usage-filter-bar-pressed-background] - Background of pressed toggles, chips and the active option.
 */
export class UsageFilterBar extends UsageElement {
  static override styles = [pieceThemeStyles, usageFilterBarStyles];

  static override properties: PropertyDeclarations = {
    drafts: { state: true, attribute: false },
    rangeDraft: { state: true, attribute: false },
    messages: { state: true, attribute: false },
    moreOpen: { state: true, attribute: false },
  };

  /** Text typed into a field and not applied (a refused value, or typing in progress). */
  private drafts: Partial<Record<TextField, string>> = {};
  /** The custom range being edited, as `datetime-local` values. */
  private rangeDraft: { from: string; to: string } | null = null;
  /** In a narrow bar, the controls past the range and the type are shown. */
  private moreOpen = false;
  /** Messages at their controls. */
  private messages: { range?: string; rangeEnds?: readonly RangeEnd[]; amount?: string; amountFields?: ('amountMin' | 'amountMax')[]; requestId?: string } = {};

  readonly #users = new MultiComboboxController(this, {
    id: 'users',
    label: 'Users',
    placeholder: 'Name, email or ID',
    noun: ['user', 'users'],
    pageSize: USERS_PAGE,
    maxSelected: LIMITS.maxValues,
    debounceMs: LOOKUP_DEBOUNCE_MS,
    values: () => this.#state().userIds,
    search: async (query, offset, limit, signal) => {
      const page = await fetchUsers(this.#endpoint(), { q: query.trim() || undefined, offset, limit }, this.#callOptions(signal));
      return { total: page.total, items: page.items.map(userOption) };
    },
    describe: async (ids, signal) => (await fetchUsersById(this.#endpoint(), ids, this.#callOptions(signal))).map(userOption),
    onChange: (userIds) => this.#update({ userIds }),
    onError: (error) => this.reportError(error),
    formatCount: (count) => this.formatCount(count),
    display: () => this.display,
  });

  readonly #endpoints = new MultiComboboxController(this, {
    id: 'endpoints',
    label: 'Endpoints',
    placeholder: 'Search endpoints',
    noun: ['endpoint', 'endpoints'],
    pageSize: LIMITS.endpointsMaxLimit,
    maxSelected: LIMITS.maxValues,
    debounceMs: LOOKUP_DEBOUNCE_MS,
    values: () => this.#state().endpoints,
    search: async (query, _offset, limit, signal) => {
      const page = await fetchEndpoints(this.#endpoint(), { q: query.trim() || undefined, limit }, this.#callOptions(signal));
      const items = page.items.map((item) => ({
        value: item.endpoint,
        label: item.endpoint,
        detail: `${countPhrase(item.events, 'event', this.filterView.settings.locale)} in 90 days`,
      }));
      return { total: items.length, items };
    },
    onChange: (endpoints) => this.#update({ endpoints }),
    onError: (error) => this.reportError(error),
    formatCount: (count) => this.formatCount(count),
    display: () => this.display,
  });

  /** The state last rendered: a field that changed elsewhere drops what was being typed in it. */
  #shownState: UsageFilterState | null = null;
  #shownSource: { endpoint: string | undefined; requestOptions: unknown } | null = null;
  /**
   * The state after this bar's own changes that have not rendered yet: a second click in
   * the same task builds on the first, not on the state of the last render.
   */
  #latest: UsageFilterState | null = null;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** Text fields whose edit in progress made its history entry (its later values, Enter's too, replace it). */
  readonly #appliedWhileFocused = new Set<'amount' | 'requestId'>();

  /** Whether the range select is being used from the keyboard (see `#handleRangeSelect`). */
  #rangeByKeyboard?: boolean;
  /** A range chosen by keyboard, applied once the choice rests. */
  #pendingRange: string | null = null;
  #rangeKeyTimer?: ReturnType<typeof setTimeout>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#typingTimer);
    clearTimeout(this.#rangeKeyTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.#focusField = this.shadowRoot?.activeElement?.closest('.field');
    this.#latest = null;
    const view = this.filterView;
    const source = { endpoint: view.settings.endpoint, requestOptions: view.settings.requestOptions };
    if (this.#shownSource && (this.#shownSource.endpoint !== source.endpoint || this.#shownSource.requestOptions !== source.requestOptions)) {
      this.#users.reset();
      this.#endpoints.reset();
    }
    this.#shownSource = source;
    const previous = this.#shownState;
    this.#shownState = view.state;
    if (previous && previous !== view.state) this.#dropStaleDrafts(previous, view.state);
  }

  /** The field holding the focus before this update (undefined: the focus was elsewhere). */
  #focusField: Element | null | undefined;

  // Back or Forward may remove the focused control (the custom range's box, a user's chip) or
  // disable it (the amount box under "All"): the focus goes to its field's first control left,
  // else the bar's first.
  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const root = this.shadowRoot!;
    const controls = (within: ParentNode | null | undefined) => within?.querySelectorAll<HTMLElement>('input, select, button') ?? [];
    keepFocus(root, this.#focusField !== undefined, () => [...controls(this.#focusField), ...controls(root)]);
  }

  // Its buttons carry no type="button": no <form> reaches into a shadow tree (a host's form
  // around the element is not theirs), so they submit nothing (dashboard-pieces.test.ts).
  override render(): TemplateResult {
    const { state } = this.filterView;
    const dirty = !sameFilterState(state, this.initialFilters) || Object.keys(this.drafts).length > 0 || this.rangeDraft !== null;
    // What the narrow bar's "More filters" holds that is set, but for a field the host hides
    // (a per-user page: `::part(field users) { display: none }`; known from the second render).
    const { userIds, poolCategories, ioTypes, amountMin, amountMax, requestId, endpoints } = state;
    const more = Object.entries({ users: userIds[0], 'pool-categories': poolCategories[0], 'io-types': ioTypes[0], amount: amountMin ?? amountMax ?? undefined, 'request-id': requestId ?? undefined, endpoints: endpoints[0] }).filter(
      ([field, value]) => value !== undefined && getComputedStyle(this.shadowRoot!.querySelector(`[part~="${field}"]`) ?? this).display != 'none',
    ).length;
    return html`<div class="bar" part="base" role="group" aria-label="Usage filters">
      <div class="header" part="header">
        <p class="summary" part="summary" role="status" aria-live="polite">
          <span class="summary-label">Showing </span>${summarizeFilters(state, this.#formatOptions())}
        </p>
        <button class="reset" part="reset" ?disabled=${!dirty} @click=${this.#handleReset}>Reset filters</button>
      </div>
      <div class="controls" part="controls">
        ${this.#renderRange(state)} ${this.#renderResourceType(state)}
        <button class="more-toggle" part="more-toggle" aria-expanded=${this.moreOpen} aria-controls="more" @click=${() => (this.moreOpen = !this.moreOpen)}>
          ${this.moreOpen ? 'Fewer filters' : 'More filters'}${more ? ` (${more})` : ''}
        </button>
        <div class="more" id="more" ?data-open=${this.moreOpen} @focusin=${() => (this.moreOpen = true)}>
          <div class="field wide" part="field users">${this.#users.render()}</div>
          ${this.#renderToggles('poolCategories', 'Pool category', 'pool-categories', POOL_CATEGORIES, state.poolCategories, poolCategoryLabel)}
          ${this.#renderToggles('ioTypes', 'I/O type', 'io-types', IO_TYPES, state.ioTypes, ioTypeLabel)}
          ${this.#renderAmount(state)} ${this.#renderRequestId(state)}
          <div class="field wide" part="field endpoints">${this.#endpoints.render()}</div>
        </div>
      </div>
      <div class="sizer"></div>
    </div>`;
  }

  #renderRange(state: UsageFilterState): TemplateResult {
    const lifted = state.requestId !== null;
    const custom = !('preset' in state.range);
    // The date boxes show only while a range is being edited: an applied custom range (a
    // brush's) reads as its dates with an Edit button, so the bar keeps its shape under the pointer.
    const editing = this.rangeDraft !== null && !lifted;
    const selected = lifted ? ALL_DATES : custom || editing ? CUSTOM : (state.range as { preset: RangePreset }).preset;
    return html`<div class="field range ${editing ? 'editing' : ''} ${lifted ? 'lifted' : ''}" part="field range">
      <label class="field-label" part="label" for="range">Date range</label>
      <select
        id="range"
        part="select"
        .value=${live(selected)}
        ?disabled=${lifted}
        aria-describedby=${editing ? nothing : 'range-hint'}
        @change=${this.#handleRangeSelect}
        @keydown=${this.#handleRangeSelectKeydown}
        @pointerdown=${this.#handleRangePointer}
        @blur=${this.#flushRangeChoice}
      >
        ${RANGE_PRESETS.map((preset) => html`<option value=${preset} ?selected=${selected === preset}>${RANGE_PRESET_LABELS[preset]}</option>`)}
        <option value=${CUSTOM} ?selected=${selected === CUSTOM}>Custom range…</option>
        ${lifted ? html`<option value=${ALL_DATES} selected>all dates (request ID)</option>` : nothing}
      </select>
      ${lifted
        ? html`<p class="hint" id="range-hint">The request ID is searched across all dates; clear it to choose dates.</p>`
        : editing
          ? this.#renderCustomRange(state)
          : // Which days the range is now ("This month" on the 1st is one day).
            html`<div class="range-dates">
              <p class="hint" id="range-hint">${formatRange(this.filterView.from, this.filterView.to, this.#formatOptions())}</p>
              ${custom ? html`<button part="edit-range" aria-label="Edit dates" @click=${this.#editRange}>Edit</button>` : nothing}
            </div>`}
    </div>`;
  }

  #renderCustomRange(state: UsageFilterState): TemplateResult {
    const timeZone = this.viewTimeZone();
    const draft = this.rangeDraft ?? this.#rangeInputs(state);
    const message = this.messages.range;
    // Only the end the message is about is wrong, and described by it.
    const refused = (end: RangeEnd): boolean => !!message && (this.messages.rangeEnds?.includes(end) ?? true);
    const input = (end: RangeEnd, label: string) => html`<label>
      ${label}
      <input
        id="range-${end}"
        part="input"
        type="datetime-local"
        .value=${live(draft[end])}
        aria-invalid=${refused(end) ? 'true' : 'false'}
        aria-describedby="range-zone${refused(end) ? ' range-message' : ''}"
        @input=${this.#handleRangeInput}
      />
    </label>`;
    return html`<div class="custom-range" part="custom-range" @keydown=${this.#handleRangeKeydown}>
      <div class="pair">${input('from', 'From')} ${input('to', 'To')}</div>
      <div class="actions">
        <button class="primary" part="apply" @click=${this.#applyCustomRange}>Apply</button>
        <span class="hint" id="range-zone">Times in ${timeZone}; the end is not included. Escape cancels.</span>
      </div>
      ${message ? html`<p class="message" part="message" id="range-message" role="alert">${message}</p>` : nothing}
    </div>`;
  }

  #renderResourceType(state: UsageFilterState): TemplateResult {
    const choices: [string, string][] = [['all', 'All'], ...RESOURCE_TYPES.map((type): [string, string] => [type, resourceTypeLabel(type)])];
    const current = state.resourceType ?? 'all';
    return html`<fieldset class="field fit" part="field resource-type">
      <legend part="label">Resource type</legend>
      <div class="segmented">
        ${choices.map(
          ([value, label]) => html`<label class="segment" part="segment">
            <input type="radio" name="resource-type" .value=${value} .checked=${live(current === value)} @change=${this.#handleResourceType} />${label}
          </label>`,
        )}
      </div>
    </fieldset>`;
  }

  #renderToggles<T extends PoolCategory | IoType>(
    field: 'poolCategories' | 'ioTypes',
    legend: string,
    part: string,
    values: readonly T[],
    chosen: readonly T[],
    label: (value: T) => string,
  ): TemplateResult {
    return html`<fieldset class="field fit" part="field ${part}">
      <legend part="label">${legend}</legend>
      <div class="toggles">
        ${values.map(
          (value) => html`<button
            class="toggle"
            part="toggle"
            data-value=${value}
            aria-pressed=${chosen.includes(value) ? 'true' : 'false'}
            @click=${() => this.#toggle(field, value)}
          >
            ${label(value)}
          </button>`,
        )}
      </div>
    </fieldset>`;
  }

  #renderAmount(state: UsageFilterState): TemplateResult {
    const type = state.resourceType;
    const disabled = type === null;
    const message = this.messages.amount;
    const unit = type === null ? '' : ` (${unitLabel(type)})`;
    return html`<fieldset class="field amount" part="field amount" ?disabled=${disabled}>
      <legend part="label">Amount${unit}</legend>
      <div class="pair">${this.#renderAmountInput('amountMin', 'Minimum', state)} ${this.#renderAmountInput('amountMax', 'Maximum', state)}</div>
      <p class="hint" id="amount-hint">${type === null ? 'Choose a resource type to filter by amount.' : `Inclusive; ${amountExample(type, this.filterView.settings.locale)}.`}</p>
      ${message ? html`<p class="message" part="message" id="amount-message" role="alert">${message}</p>` : nothing}
    </fieldset>`;
  }

  #renderAmountInput(field: 'amountMin' | 'amountMax', label: string, state: UsageFilterState): TemplateResult {
    const invalid = this.messages.amountFields?.includes(field) ?? false;
    return html`<label>
      ${label}
      <input
        id=${field === 'amountMin' ? 'amount-min' : 'amount-max'}
        part="input"
        type="text"
        inputmode=${state.resourceType === 'storage' ? 'text' : 'numeric'}
        autocomplete="off"
        .value=${live(this.#textValue(field, state))}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby="amount-hint${invalid ? ' amount-message' : ''}"
        @focus=${() => this.#appliedWhileFocused.delete('amount')}
        @input=${(e: Event) => this.#handleTextInput(field, e)}
        @change=${() => this.#applyAmounts(false)}
      />
    </label>`;
  }

  #renderRequestId(state: UsageFilterState): TemplateResult {
    const message = this.messages.requestId;
    return html`<div class="field" part="field request-id">
      <label class="field-label" part="label" for="request-id">Request ID</label>
      <input
        id="request-id"
        part="input"
        type="search"
        autocomplete="off"
        spellcheck="false"
        placeholder="Exact ID, all dates"
        .value=${live(this.#textValue('requestId', state))}
        aria-invalid=${message ? 'true' : 'false'}
        aria-describedby=${message ? 'request-id-message' : nothing}
        @focus=${() => this.#appliedWhileFocused.delete('requestId')}
        @input=${(e: Event) => this.#handleTextInput('requestId', e)}
        @change=${() => this.#applyRequestId(false)}
      />
      ${message ? html`<p class="message" part="message" id="request-id-message" role="alert">${message}</p>` : nothing}
    </div>`;
  }

  // ---- values ---------------------------------------------------------------------------

  #state(): UsageFilterState {
    return this.#latest ?? this.filterView.state;
  }

  /** Every change of this bar: to the holder, and remembered until it renders. */
  #update(patch: Partial<UsageFilterState>, options: { transient?: boolean } = {}): void {
    this.updateFilters(patch, options);
    try {
      this.#latest = applyFilterPatch(this.#state(), patch);
    } catch {
      this.#latest = null;
    }
  }

  #endpoint(): string {
    return this.filterView.settings.endpoint ?? '';
  }

  #callOptions(signal: AbortSignal) {
    return { signal, requestOptions: this.filterView.settings.requestOptions };
  }


  #formatOptions() {
    return { locale: this.filterView.settings.locale, timeZone: this.viewTimeZone() };
  }


  /** The custom range inputs for the state: its own range, or the resolved preset to start from. */
  #rangeInputs(state: UsageFilterState): { from: string; to: string } {
    const range = 'preset' in state.range ? this.filterView : state.range;
    const timeZone = this.viewTimeZone();
    return { from: toLocalInput(range.from, timeZone), to: toLocalInput(range.to, timeZone) };
  }

  #textValue(field: TextField, state: UsageFilterState): string {
    const draft = this.drafts[field];
    if (draft !== undefined) return draft;
    if (field === 'requestId') return state.requestId ?? '';
    return amountInputText(state[field], state.resourceType, this.filterView.settings.locale);
  }

  /** What a draft would apply as, to tell a change made elsewhere from our own. */
  #draftValue(field: TextField, state: UsageFilterState): number | string | null | undefined {
    const draft = this.drafts[field];
    if (draft === undefined) return undefined;
    if (field === 'requestId') {
      const parsed = parseRequestIdInput(draft);
      return parsed.ok ? parsed.value : undefined;
    }
    if (state.resourceType === null) return undefined;
    const { min, max } = parseAmountRange(draft, draft, state.resourceType, this.filterView.settings.locale);
    const parsed = field === 'amountMin' ? min : max;
    return parsed.ok ? parsed.value : undefined;
  }

  #dropDrafts(...fields: TextField[]): void {
    const drafts = { ...this.drafts };
    for (const field of fields) delete drafts[field];
    this.drafts = drafts;
  }

  /** Drops what was being typed in fields that changed elsewhere (a brush, the URL, the host, a reset). */
  #dropStaleDrafts(previous: UsageFilterState, next: UsageFilterState): void {
    const drafts = { ...this.drafts };
    let messages = this.messages;
    const typeChanged = previous.resourceType !== next.resourceType;
    for (const field of ['amountMin', 'amountMax', 'requestId'] as const) {
      if (drafts[field] === undefined) continue;
      const changed = previous[field] !== next[field] || (field !== 'requestId' && typeChanged);
      if (changed && this.#draftValue(field, next) !== next[field]) delete drafts[field];
    }
    if (typeChanged || previous.amountMin !== next.amountMin || previous.amountMax !== next.amountMax) {
      if (drafts.amountMin === undefined && drafts.amountMax === undefined) messages = { ...messages, amount: undefined, amountFields: undefined };
    }
    if (previous.requestId !== next.requestId && drafts.requestId === undefined) messages = { ...messages, requestId: undefined };
    const rangeChanged = JSON.stringify(previous.range) !== JSON.stringify(next.range);
    if (rangeChanged) {
      this.rangeDraft = null;
      messages = { ...messages, range: undefined };
    }
    this.drafts = drafts;
    this.messages = messages;
  }

  // ---- applying changes -----------------------------------------------------------------

  #toggle(field: 'poolCategories' | 'ioTypes', value: string): void {
    const current = this.#state()[field] as readonly string[];
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    this.#update({ [field]: next });
  }

  #handleResourceType(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    const resourceType = value === 'all' ? null : (value as ResourceType);
    // Amounts are counted in the unit of the type: they do not carry over to another type.
    this.#dropDrafts('amountMin', 'amountMax');
    this.messages = { ...this.messages, amount: undefined, amountFields: undefined };
    this.#update({ resourceType, amountMin: null, amountMax: null });
  }

  /**
   * A closed select changes with every arrow key: browsing the presets by keyboard would
   * apply each one on the way (a request per piece, a history entry each). Chosen by
   * keyboard, a range applies once the choice rests (`RANGE_KEY_PAUSE_MS`), or at once on
   * Enter or when the select loses the focus; chosen by pointer, at once.
   */
  #handleRangeSelect(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    clearTimeout(this.#rangeKeyTimer);
    if (!this.#rangeByKeyboard) {
      this.#applyRangeChoice(value, true);
      return;
    }
    this.#pendingRange = value;
    this.#rangeKeyTimer = setTimeout(() => this.#flushRangeChoice(), RANGE_KEY_PAUSE_MS);
  }

  #handleRangeSelectKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      this.#flushRangeChoice(true);
      return;
    }
    if (event.key !== 'Tab') this.#rangeByKeyboard = true;
  }

  #handleRangePointer(): void {
    this.#rangeByKeyboard = false;
  }

  /** Applies a range chosen by keyboard that is still waiting; "Custom range…" takes the focus only on Enter. */
  #flushRangeChoice(focusCustom: unknown = false): void {
    clearTimeout(this.#rangeKeyTimer);
    const value = this.#pendingRange;
    this.#pendingRange = null;
    if (value !== null) this.#applyRangeChoice(value, focusCustom === true);
  }

  #applyRangeChoice(value: string, focusCustom: boolean): void {
    if (value === CUSTOM) {
      this.rangeDraft = this.#rangeInputs(this.#state());
      if (focusCustom) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#range-from')?.focus());
      return;
    }
    this.rangeDraft = null;
    this.messages = { ...this.messages, range: undefined };
    this.#update({ range: { preset: value as RangePreset } });
  }

  #handleRangeInput(): void {
    const from = this.renderRoot.querySelector<HTMLInputElement>('#range-from')!.value;
    const to = this.renderRoot.querySelector<HTMLInputElement>('#range-to')!.value;
    this.rangeDraft = { from, to };
    // Say at once when the start passes the end or a time does not exist; an incomplete value waits for Apply.
    const parsed = parseCustomRange(from, to, this.viewTimeZone(), this.#appliedRange(), this.filterView.settings.locale);
    this.messages = { ...this.messages, range: !parsed.ok && parsed.final ? parsed.message : undefined, rangeEnds: parsed.ok ? undefined : parsed.ends };
  }

  /** The custom range applied now, if any: an end the inputs still show keeps its instant. */
  #appliedRange(): { from: string; to: string } | undefined {
    const { range } = this.#state();
    return 'from' in range ? range : undefined;
  }

  #editRange(): void {
    this.rangeDraft = this.#rangeInputs(this.#state());
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#range-from')?.focus());
  }

  /** Closes the date boxes; the focus they held goes to the range's Edit button, else to the select. */
  #closeRange(): void {
    this.rangeDraft = null;
    this.messages = { ...this.messages, range: undefined };
    const find = (selector: string) => this.renderRoot.querySelector<HTMLElement>(selector);
    void this.updateComplete.then(() => (find('[part~="edit-range"]') ?? find('#range'))!.focus());
  }

  #handleRangeKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.#closeRange();
    } else if (event.key === 'Enter' && (event.target as Element).localName === 'input') {
      // Applying moves the focus to Edit within this key press: its default would press Edit.
      event.preventDefault();
      this.#applyCustomRange();
    }
  }

  #applyCustomRange(): void {
    const draft = this.rangeDraft ?? this.#rangeInputs(this.#state());
    const parsed = parseCustomRange(draft.from, draft.to, this.viewTimeZone(), this.#appliedRange(), this.filterView.settings.locale);
    if (!parsed.ok) {
      this.messages = { ...this.messages, range: parsed.message, rangeEnds: parsed.ends };
      return;
    }
    this.#update({ range: parsed.value });
    this.#closeRange();
  }

  #handleTextInput(field: TextField, event: Event): void {
    this.drafts = { ...this.drafts, [field]: (event.target as HTMLInputElement).value };
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => (field === 'requestId' ? this.#applyRequestId(true) : this.#applyAmounts(true)), TYPING_APPLY_MS);
  }

  /** Applies both amount bounds, or refuses them with a message and sends nothing. */
  #applyAmounts(typing: boolean): void {
    clearTimeout(this.#typingTimer);
    const state = this.#state();
    const type = state.resourceType;
    if (type === null || (this.drafts.amountMin === undefined && this.drafts.amountMax === undefined)) return;
    const locale = this.filterView.settings.locale;
    const { min, max, order } = parseAmountRange(this.#textValue('amountMin', state), this.#textValue('amountMax', state), type, locale);
    const refused: { field: 'amountMin' | 'amountMax'; parsed: Parsed<number | null> }[] = [
      { field: 'amountMin' as const, parsed: min },
      { field: 'amountMax' as const, parsed: max },
    ].filter((entry) => !entry.parsed.ok);
    if (refused.length > 0 || order) {
      const message = order ?? refused.map((entry) => (entry.parsed as { message: string }).message).join(' ');
      this.messages = { ...this.messages, amount: message, amountFields: order ? ['amountMin', 'amountMax'] : refused.map((entry) => entry.field) };
      return;
    }
    this.messages = { ...this.messages, amount: undefined, amountFields: undefined };
    const amountMin = (min as { value: number | null }).value;
    const amountMax = (max as { value: number | null }).value;
    if (!typing) this.#dropDrafts('amountMin', 'amountMax');
    this.#apply('amount', { amountMin, amountMax }, typing);
  }

  #applyRequestId(typing: boolean): void {
    clearTimeout(this.#typingTimer);
    const draft = this.drafts.requestId;
    if (draft === undefined) return;
    const parsed = parseRequestIdInput(draft);
    if (!parsed.ok) {
      this.messages = { ...this.messages, requestId: parsed.message };
      return;
    }
    this.messages = { ...this.messages, requestId: undefined };
    if (!typing) this.#dropDrafts('requestId');
    this.#apply('requestId', { requestId: parsed.value }, typing);
  }

  /**
   * A typed value: an edit's first value is a new history entry and its later ones replace
   * it (`transient`), the one applied on Enter or on leaving the field, which ends the edit,
   * included.
   */
  #apply(group: 'amount' | 'requestId', patch: Partial<UsageFilterState>, typing: boolean): void {
    const transient = this.#appliedWhileFocused.has(group);
    if (typing) this.#appliedWhileFocused.add(group);
    else this.#appliedWhileFocused.delete(group);
    this.#update(patch, { transient });
  }

  #handleReset(): void {
    const hadFocus = (this.renderRoot as ShadowRoot).activeElement?.matches('[part~="reset"]');
    clearTimeout(this.#typingTimer);
    this.drafts = {};
    this.rangeDraft = null;
    this.messages = {};
    this.#update({ ...this.initialFilters });
    // The button is disabled once nothing is left to reset: its focus goes to the first
    // control (enabled again in the same render when a request ID had locked it).
    if (hadFocus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#range')?.focus());
  }
}
