/**
 * `sync-url`: keeps the non-default filters, and those that differ from the host's own
 * state, in the page's query string under a prefix (`ud.` by default), so a link or a
 * reload shows the same view and back/forward step through a person's changes. The host's
 * own parameters are never touched.
 */
import { applyFilterPatch, changedFields, DEFAULT_FILTER_STATE, FILTER_FIELDS, type FilterField, type UsageFilterState } from './state.js';

export const DEFAULT_URL_PREFIX = 'ud';

/** The query key (after the prefix and a dot) of each field. */
export const URL_KEYS: Readonly<Record<FilterField, string>> = {
  range: 'range',
  resourceType: 'type',
  userIds: 'user',
  poolCategories: 'pool',
  ioTypes: 'io',
  amountMin: 'min',
  amountMax: 'max',
  requestId: 'request',
  endpoints: 'endpoint',
};

export interface UrlParamError {
  /** The query key whose value is bad, with its prefix. */
  param: string;
  message: string;
}

function keysOf(prefix: string): string[] {
  const keys = Object.values(URL_KEYS).filter((key) => key !== 'range');
  return ['range', 'from', 'to', ...keys].map((key) => `${prefix}.${key}`);
}

/**
 * Writes into `params` the fields of `state` that are not the defaults or that differ from
 * `base`, the host's own state (and removes the prefix's other keys): a link holds every
 * non-default field, and a field a person set back to its default over a host's attribute
 * still restores. An emptied list, amount or request ID is written as an empty value and
 * "every type" as `all`, so that they restore over a base that has them.
 */
export function writeFilterParams(params: URLSearchParams, prefix: string, state: UsageFilterState, base: UsageFilterState): void {
  for (const key of keysOf(prefix)) params.delete(key);
  const key = (field: FilterField) => `${prefix}.${URL_KEYS[field]}`;
  const written = new Set([...changedFields(DEFAULT_FILTER_STATE, state), ...changedFields(base, state)]);
  for (const field of FILTER_FIELDS.filter((f) => written.has(f))) {
    const value = state[field];
    if (field === 'range') {
      if ('preset' in state.range) params.append(key('range'), state.range.preset);
      else {
        params.append(`${prefix}.from`, state.range.from);
        params.append(`${prefix}.to`, state.range.to);
      }
    } else if (Array.isArray(value)) {
      // An empty list is written as one empty value, so that it overrides a base that has values.
      if (value.length === 0) params.append(key(field), '');
      for (const item of value) params.append(key(field), item);
    } else params.append(key(field), String(value ?? (field === 'resourceType' ? 'all' : '')));
  }
}

function readField(params: URLSearchParams, prefix: string, field: FilterField): { param: string; patch: Partial<UsageFilterState> } | null {
  const name = `${prefix}.${URL_KEYS[field]}`;
  if (field === 'range') {
    const from = params.get(`${prefix}.from`);
    const to = params.get(`${prefix}.to`);
    // The end a refusal is about: the one missing, else (below) the one its message names.
    // A missing end is left out ("a custom range needs both from and to").
    const range = { from: from ?? undefined, to: to ?? undefined } as unknown as UsageFilterState['range'];
    if (from !== null || to !== null) return { param: `${prefix}.${from === null ? 'from' : 'to'}`, patch: { range } };
    const preset = params.get(name);
    return preset === null ? null : { param: name, patch: { range: { preset } as UsageFilterState['range'] } };
  }
  if (!params.has(name)) return null;
  const values = params.getAll(name);
  const last = values[values.length - 1]!;
  if (field === 'resourceType') return { param: name, patch: { resourceType: last === 'all' ? null : (last as UsageFilterState['resourceType']) } };
  if (field === 'requestId') return { param: name, patch: { requestId: last || null } };
  if (field === 'amountMin' || field === 'amountMax') return { param: name, patch: { [field]: last === '' ? null : /^\d+$/.test(last) ? Number(last) : last } };
  // The lists: every value given.
  return { param: name, patch: { [field]: values.filter((v) => v !== '') } };
}

/**
 * The state that `params` describe over `base`: each field the query names replaces the
 * base's; a bad value is reported and that field keeps the base's value.
 */
export function readFilterParams(params: URLSearchParams, prefix: string, base: UsageFilterState): { state: UsageFilterState; errors: UrlParamError[] } {
  let state = base;
  const errors: UrlParamError[] = [];
  for (const field of Object.keys(URL_KEYS) as FilterField[]) {
    const read = readField(params, prefix, field);
    if (!read) continue;
    try {
      state = applyFilterPatch(state, read.patch);
    } catch (error) {
      const { message } = error as Error;
      // A custom range's refusal starting "from…" is about its start.
      const param = field === 'range' && message.startsWith('from') ? `${prefix}.from` : read.param;
      errors.push({ param, message: `${param}: ${message}` });
    }
  }
  return { state, errors };
}

export interface UrlSyncOptions {
  /** Back or forward moved to another entry: the holder reads its state over its own base. */
  onPopState: () => void;
}

/** Reads and writes one prefix of the page's query string and follows back/forward. */
export class UrlSync {
  constructor(
    readonly prefix: string,
    readonly options: UrlSyncOptions,
  ) {}

  connect(): void {
    window.addEventListener('popstate', this.#handlePopState);
  }

  disconnect(): void {
    window.removeEventListener('popstate', this.#handlePopState);
  }

  /** Pushes a history entry for `state` (or replaces the current one); nothing when the URL would not change. */
  write(state: UsageFilterState, base: UsageFilterState, mode: 'push' | 'replace'): void {
    const url = new URL(window.location.href);
    const ours = new URLSearchParams();
    writeFilterParams(ours, this.prefix, state, base);
    // The host's parameters are kept as written (their encoding, bare flags, their order):
    // only the prefix's own are taken out and written again, where the first of them was
    // (after the host's when there was none).
    const keys = keysOf(this.prefix);
    const isOurs = (part: string) => keys.includes([...new URLSearchParams(part).keys()][0]!);
    const parts = url.search.slice(1).split('&').filter((part) => part);
    const first = parts.findIndex(isOurs);
    const kept = parts.filter((part) => !isOurs(part));
    kept.splice(first < 0 ? kept.length : first, 0, String(ours));
    url.search = kept.filter((part) => part).join('&');
    if (url.href === window.location.href) return;
    window.history[mode === 'push' ? 'pushState' : 'replaceState'](window.history.state, '', url);
  }

  #handlePopState = (): void => {
    this.options.onPopState();
  };
}
