/**
 * What `<usage-filters>` and every piece share: the common attributes (settings and
 * filters), their strict parsing, and error reporting. `UsageElement` (a piece) and
 * `UsageFilters` (the holder) build on it.
 */
import { LitElement, type PropertyDeclarations } from 'lit';
import { isAbortError, type RequestOptions } from '../api/client.js';
import { UsageErrorEvent } from '../events/index.js';
import { ATTRIBUTE_OF_FIELD, FILTER_ATTRIBUTES, fieldOfAttribute, parseFilterField, type AttributeError } from '../filters/attributes.js';
import { SETTING_NAMES, THEMES, type Theme, type UsageSettings } from '../filters/context.js';
import { DEFAULT_FILTER_STATE, FILTER_FIELDS, FilterStateError, isValidTimeZone, type FilterField, type UsageFilterState } from '../filters/state.js';


function isValidLocale(locale: string): boolean {
  try {
    return Intl.getCanonicalLocales(locale).length === 1;
  } catch {
    return false;
  }
}

/**
 * @attr {string} range - A range preset: `24h`, `7d` (default), `30d`, `90d`, `this-month`, `last-month`.
 * @attr {string} from - Start of a custom range, an instant with `Z` or an offset; needs `to`; beats `range`.
 * @attr {string} to - End (exclusive) of a custom range; needs `from`.
 * @attr {string} resource-type - `tokens`, `storage`, `ocr`, or `all` (every type).
 * @attr {string} user-ids - Comma-separated user IDs (at most 200); wins over `user-id`.
 * @attr {string} user-id - One user ID.
 * @attr {string} pool-categories - Comma-separated: `allocated`, `surplus`, `hybrid`.
 * @attr {string} io-types - Comma-separated: `input`, `output`.
 * @attr {string} amount-min - Inclusive minimum amount, an integer in the unit of the resource type (only with a type).
 * @attr {string} amount-max - Inclusive maximum amount, an integer in the unit of the resource type (only with a type).
 * @attr {string} request-id - An exact request ID; the table then searches all dates.
 * @attr {string} endpoints - Comma-separated API endpoints.
 * @fires {UsageErrorEvent} usage-error - A request failed or an attribute had a bad value (`detail.param` names it).
 */
export abstract class UsageBaseElement extends LitElement {
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, ...FILTER_ATTRIBUTES];
  }

  static override properties: PropertyDeclarations = {
    endpoint: { attribute: 'data-endpoint' },
    filterGroup: { attribute: 'filter-group', reflect: true },
    locale: {},
    timeZone: { attribute: 'time-zone' },
    live: { converter: { fromAttribute: (value: string | null) => (value === null ? undefined : value !== 'false') } },
    theme: {},
    requestOptions: { attribute: false },
  };

  /** Base URL of the data endpoint (the contract: docs/contract.md), e.g. `/api`. */
  endpoint?: string;

  /** Shares the filter state with every element of the same group anywhere in the page. */
  filterGroup?: string;

  /** BCP 47 locale for numbers and dates. A piece without one takes its holder's, else the browser's. */
  locale?: string;

  /**
   * IANA time zone for dates and buckets (sent as `tz`); on `<usage-filters>`, also the zone its
   * presets resolve in. A piece without one takes its holder's, else the browser's.
   */
  timeZone?: string;

  /**
   * Follow the live stream of new events. Present (or any value but `false`) turns it on;
   * `live="false"` turns it off for this piece although its holder is live; absent takes
   * the holder's. A string set as the property reads as the attribute would (`""` is on).
   * A range that ended more than 24 hours before the piece's answer is closed (no event can
   * be ingested into it): no stream is followed for it, and no "Live" shown.
   */
  live?: boolean;

  /** Colour theme: `light`, `dark` or `auto` (the system's). A piece without one takes its holder's, else light. */
  theme?: Theme;

  /** Credentials, headers (a bearer token) and `fetch` for every request; beats `configureUsageDashboard`. */
  requestOptions?: RequestOptions;

  /** The valid filter fields this element's own attributes set (replaced, never mutated, on change). */
  protected ownFilters: Partial<UsageFilterState> = {};

  /** The valid settings this element's own attributes and properties set. */
  protected ownSettings: UsageSettings = {};

  #connectedOnce?: boolean;
  #pendingErrors: UsageErrorEvent[] = [];
  #reportedSettings = new Map<string, unknown>();
  /** The last good value of each setting attribute, kept while a bad one stands. */
  #goodSettings = new Map<string, string>();

  /** The whole filter state this element shows (see the subclasses for assignment). */
  abstract get filters(): UsageFilterState;
  abstract set filters(value: Partial<UsageFilterState> | null | undefined);

  override connectedCallback(): void {
    if (!this.#connectedOnce) {
      this.#connectedOnce = true;
      // A `filters` set before the upgrade shadows the accessor: set it again through the accessor.
      if (Object.prototype.hasOwnProperty.call(this, 'filters')) {
        const value = this.filters;
        delete (this as { filters?: unknown }).filters;
        this.filters = value;
      }
      for (const field of FILTER_FIELDS) this.#parseFilterField(field);
      this.ownSettings = this.#readSettings();
      this.firstConnected();
    }
    super.connectedCallback();
    for (const event of this.#pendingErrors.splice(0)) this.dispatchEvent(event);
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    const field = fieldOfAttribute(name);
    // Before the first connection every field is parsed at once, when all attributes are there.
    if (field === undefined || old === value || !this.#connectedOnce) return;
    if (this.#parseFilterField(field, true)) this.#applyField(field, true);
  }

  /**
   * Gives a field's new attribute value to the state. One the state refuses (an amount
   * written before its resource type, or before the other amount) is tried again once the
   * host's other writes of this task are in, and reported only if still refused.
   */
  #applyField(field: FilterField, retry: boolean): void {
    try {
      this.filterAttributeChanged(field);
    } catch (error) {
      if (retry && error instanceof FilterStateError) queueMicrotask(() => this.#applyField(field, false));
      else this.reportFieldError(field, error);
    }
  }

  /**
   * What a changed filter attribute writes into the state: its field's value (the default
   * when removed). A resource type written again also writes the amounts the attributes
   * still hold, which the type's clearing had taken away ("every type", then a type: a
   * framework re-renders only the attribute that changed).
   */
  protected attributePatch(field: FilterField): Partial<UsageFilterState> {
    const own = this.ownFilters;
    const patch = { [field]: own[field] ?? DEFAULT_FILTER_STATE[field] };
    return field === 'resourceType' && own.resourceType ? { amountMin: own.amountMin, amountMax: own.amountMax, ...patch } : patch;
  }

  /**
   * A field the attributes set that the state refused: reported under the attribute that
   * sets it, the field keeping its previous value (amount-min above amount-max names the
   * one just written).
   */
  protected reportFieldError(field: FilterField, error: unknown): void {
    if (!(error instanceof FilterStateError)) throw error;
    const param = ATTRIBUTE_OF_FIELD[field];
    this.reportBadAttribute({ param, message: `${param}: ${error.message}` });
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (SETTING_NAMES.some((name) => changed.has(name))) this.ownSettings = this.#readSettings();
  }

  /**
   * The first connection, before the controllers connect: every attribute and the `filters`
   * property are known, and `ownFilters` holds the valid filter fields.
   */
  protected firstConnected(): void {}

  /**
   * A filter attribute changed after the first connection and `ownFilters` now holds its
   * field's new value (or lost it when the attribute was removed). Throws the state's
   * `FilterStateError` when the state refuses the value.
   */
  protected abstract filterAttributeChanged(field: FilterField): void;

  /**
   * Reports a failure as a `usage-error` event (aborted requests are not failures). Events
   * raised before the element is connected are dispatched when it connects.
   */
  protected reportError(error: unknown): void {
    if (isAbortError(error)) return;
    this.#dispatchError(UsageErrorEvent.fromError(error));
  }

  /** Reports a bad attribute value: a `usage-error` naming it and a console warning. */
  protected reportBadAttribute(error: AttributeError | { param: string; message: string }): void {
    console.warn(`<${this.localName}>: ${error.message}`);
    this.#dispatchError(new UsageErrorEvent({ code: 'bad_parameter', message: error.message, param: error.param }));
  }

  #dispatchError(event: UsageErrorEvent): void {
    if (this.isConnected) this.dispatchEvent(event);
    else this.#pendingErrors.push(event);
  }

  /**
   * Parses one field's attributes into `ownFilters`; false when a bad value left it as it
   * was. With `settling`, a lone `from` or `to` waits a microtask for its partner (a host
   * setting both, one after the other) before it counts as bad.
   */
  #parseFilterField(field: FilterField, settling = false): boolean {
    const read = (name: string) => this.getAttribute(name);
    const parsed = parseFilterField(field, read);
    if (!parsed.present) {
      const { [field]: _removed, ...rest } = this.ownFilters;
      this.ownFilters = rest;
      return true;
    }
    if ('error' in parsed) {
      if (settling && parsed.error.incomplete) {
        // Had the partner come, its own change would have parsed the field.
        queueMicrotask(() => {
          const again = parseFilterField(field, read);
          if ('error' in again && again.error.incomplete) this.reportBadAttribute(again.error);
        });
      } else this.reportBadAttribute(parsed.error);
      return false;
    }
    this.ownFilters = { ...this.ownFilters, [field]: parsed.value };
    return true;
  }

  /**
   * The valid settings: a bad locale, time zone or theme is reported once and the setting
   * keeps its previous good value (none: inherited or the default, as when the attribute
   * is absent).
   */
  #readSettings(): UsageSettings {
    const settings: UsageSettings = {};
    if (this.endpoint) settings.endpoint = this.endpoint;
    // A string set as the property reads as the attribute would: React 19 sets `live=""` as
    // the property "", which was false.
    if (this.live != null) settings.live = String(this.live) !== 'false';
    if (this.requestOptions) settings.requestOptions = this.requestOptions;
    const checks: [keyof UsageSettings, string, string | undefined, (v: string) => boolean, string][] = [
      ['locale', 'locale', this.locale, isValidLocale, 'a BCP 47 locale'],
      ['timeZone', 'time-zone', this.timeZone, isValidTimeZone, 'an IANA time zone'],
      ['theme', 'theme', this.theme, (v) => (THEMES as readonly string[]).includes(v), THEMES.join(', ')],
    ];
    for (const [key, attribute, written, isValid, expected] of checks) {
      // Trimmed, as the filter attributes are (" UTC " is UTC).
      const value = written?.trim();
      if (!value) {
        this.#goodSettings.delete(attribute);
        continue;
      }
      if (isValid(value)) this.#goodSettings.set(attribute, value);
      else if (this.#reportedSettings.get(attribute) !== value) {
        this.reportBadAttribute({ param: attribute, message: `${attribute} must be ${expected}; got "${value}"` });
      }
      this.#reportedSettings.set(attribute, value);
      const good = this.#goodSettings.get(attribute);
      if (good !== undefined) (settings as Record<string, unknown>)[key] = good;
    }
    return settings;
  }
}
