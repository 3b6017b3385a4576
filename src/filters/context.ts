/**
 * The filter context (DESIGN.md, "Sharing it"): what a `<usage-filters>` provides to the
 * pieces inside it through the Context Community Protocol, and the page's `ContextRoot`
 * that lets a provider upgraded after its consumers still reach them.
 */
import { ContextRoot, createContext } from '@lit/context';
import type { RequestOptions } from '../api/client.js';
import type { UsageFilterState } from './state.js';

export const THEMES = ['light', 'dark', 'auto'] as const;
export type Theme = (typeof THEMES)[number];

/** The settings a holder shares with its pieces; a piece's own attribute wins. */
export interface UsageSettings {
  /** Base URL of the data-endpoint contract. */
  endpoint?: string | undefined;
  /** BCP 47 locale for numbers and dates; default the browser's. */
  locale?: string | undefined;
  /** IANA time zone for presets, display and buckets; default the browser's. */
  timeZone?: string | undefined;
  theme?: Theme | undefined;
  /** Follow the live stream. */
  live?: boolean | undefined;
  /** Credentials, headers and fetch for every request. */
  requestOptions?: RequestOptions | undefined;
}

/**
 * The settings a request depends on: the endpoint, the time zone (sent as `tz`) and the
 * request options. Theme, locale and live change how a piece shows its data, not the data.
 */
export function requestSettings({ endpoint, timeZone, requestOptions }: UsageSettings): UsageSettings {
  return { endpoint, timeZone, requestOptions };
}

/** Every setting, by name. */
export const SETTING_NAMES = ['endpoint', 'locale', 'timeZone', 'theme', 'live', 'requestOptions'] as const satisfies readonly (keyof UsageSettings)[];

/** Whether two settings objects hold the same settings (request options by identity). */
export function sameSettings(a: UsageSettings, b: UsageSettings): boolean {
  return SETTING_NAMES.every((name) => a[name] === b[name]);
}

export interface FilterUpdateOptions {
  /**
   * A change still being typed: the URL is replaced rather than pushed. The change is
   * announced all the same.
   */
  transient?: boolean;
  /** The element the person acted on; a holder-less group announces the change there. */
  source?: EventTarget;
}

/** The value of the filter context: a new object per change. */
export interface FiltersContextValue {
  readonly version: 1;
  readonly state: UsageFilterState;
  /** The resolved range, shared by every piece so identical requests can be shared. */
  readonly from: string;
  readonly to: string;
  readonly settings: UsageSettings;
  /** A person's change (filter bar, chart brush, table action): merged into the state. */
  update(patch: Partial<UsageFilterState>, options?: FilterUpdateOptions): void;
}

export const FILTERS_CONTEXT_KEY = Symbol.for('usage-dashboard.filters');

export const filtersContext = createContext<FiltersContextValue>(FILTERS_CONTEXT_KEY);

const CONTEXT_ROOT_KEY = Symbol.for('usage-dashboard.context-root');

/**
 * Attaches one `ContextRoot` to the document, once per page whichever copy of the
 * library asks first, so consumers connected before their provider upgrades get it.
 */
export function ensureContextRoot(): void {
  const store = globalThis as unknown as Record<symbol, ContextRoot | undefined>;
  if (store[CONTEXT_ROOT_KEY] || typeof document === 'undefined') return;
  const root = new ContextRoot();
  root.attach(document.documentElement);
  store[CONTEXT_ROOT_KEY] = root;
}
