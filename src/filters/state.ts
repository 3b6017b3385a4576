/**
 * The shared filter state (DESIGN.md, "The filter state"): its type, its defaults, its
 * validation, the resolution of range presets in a time zone, and the contract filter
 * each piece sends for it.
 */
import {
  IO_TYPES,
  LIMITS,
  POOL_CATEGORIES,
  RESOURCE_TYPES,
  formatInstant,
  parseInstant,
  tooLong,
  type EventFilter,
  type IoType,
  type PoolCategory,
  type ResourceType,
} from '../api/contract.js';
import { ZoneCalendar, defaultTimeZone, isTimeZone } from '../api/time-zone.js';

export type { IoType, PoolCategory, ResourceType };

export const RANGE_PRESETS = ['24h', '7d', '30d', '90d', 'this-month', 'last-month'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export type FilterRange = { preset: RangePreset } | { from: string; to: string };

export interface UsageFilterState {
  /** A preset, or a custom range of instants, half-open `[from, to)`. */
  range: FilterRange;
  /** null: every type (the table); the charts show 'tokens' then. */
  resourceType: ResourceType | null;
  /** []: every user (at most 200). */
  userIds: string[];
  /** []: every pool. */
  poolCategories: PoolCategory[];
  /** []: both. */
  ioTypes: IoType[];
  /** Inclusive integer in the unit of `resourceType`; only with a `resourceType`. */
  amountMin: number | null;
  /** Inclusive integer in the unit of `resourceType`; only with a `resourceType`. */
  amountMax: number | null;
  /** Exact; when set, the table searches all dates. */
  requestId: string | null;
  /** []: every endpoint. */
  endpoints: string[];
}

export type FilterField = keyof UsageFilterState;

export const FILTER_FIELDS = [
  'range',
  'resourceType',
  'userIds',
  'poolCategories',
  'ioTypes',
  'amountMin',
  'amountMax',
  'requestId',
  'endpoints',
] as const satisfies readonly FilterField[];

export const DEFAULT_FILTER_STATE: Readonly<UsageFilterState> = Object.freeze({
  range: Object.freeze({ preset: '7d' as const }),
  resourceType: null,
  userIds: Object.freeze([]) as unknown as string[],
  poolCategories: Object.freeze([]) as unknown as PoolCategory[],
  ioTypes: Object.freeze([]) as unknown as IoType[],
  amountMin: null,
  amountMax: null,
  requestId: null,
  endpoints: Object.freeze([]) as unknown as string[],
});

/** A value of the filter state that breaks its rules; `field` names the offending field. */
export class FilterStateError extends Error {
  override name = 'FilterStateError';
  constructor(
    readonly field: FilterField,
    message: string,
  ) {
    super(message);
  }
}

function fail(field: FilterField, message: string): never {
  throw new FilterStateError(field, message);
}

function isPreset(value: unknown): value is RangePreset {
  return typeof value === 'string' && (RANGE_PRESETS as readonly string[]).includes(value);
}

function checkRange(range: unknown): FilterRange {
  if (typeof range !== 'object' || range === null) fail('range', 'range must be { preset } or { from, to }');
  const r = range as Record<string, unknown>;
  if ('preset' in r) {
    if (!isPreset(r.preset)) fail('range', `range preset must be one of ${RANGE_PRESETS.join(', ')}; got ${String(r.preset)}`);
    return Object.freeze({ preset: r.preset });
  }
  if (typeof r.from !== 'string' || typeof r.to !== 'string') fail('range', 'a custom range needs both from and to');
  const from = parseInstant(r.from);
  const to = parseInstant(r.to);
  if (from === null) fail('range', `from is not an instant with Z or an offset: ${r.from}`);
  if (to === null) fail('range', `to is not an instant with Z or an offset: ${r.to}`);
  if (from >= to) fail('range', 'from must be before to');
  return Object.freeze({ from: formatInstant(from), to: formatInstant(to) });
}

function checkText(field: FilterField, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail(field, `${field} values must be non-empty strings`);
  if (tooLong(value)) fail(field, `${field} values are at most ${LIMITS.maxStringLength} characters`);
  return value;
}

type ListField = 'userIds' | 'poolCategories' | 'ioTypes' | 'endpoints';

function checkList<T extends string>(field: FilterField, value: unknown, allowed?: readonly T[]): T[] {
  if (!Array.isArray(value)) fail(field, `${field} must be an array`);
  const out: T[] = [];
  for (const item of value) {
    const text = checkText(field, item);
    if (allowed && !(allowed as readonly string[]).includes(text)) {
      fail(field, `${field} values must be among ${allowed.join(', ')}; got ${text}`);
    }
    if (!out.includes(text as T)) out.push(text as T);
  }
  if (out.length > LIMITS.maxValues) fail(field, `${field} holds at most ${LIMITS.maxValues} values`);
  return Object.freeze(out) as T[];
}

function checkAmount(field: 'amountMin' | 'amountMax', value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(field, `${field} must be a non-negative integer; got ${String(value)}`);
  }
  return value;
}

/**
 * The whole state from a partial one: missing fields take their defaults, every field is
 * checked (a `FilterStateError` names the first bad one), lists lose duplicates, a custom
 * range is kept in the contract's instant form. Amounts need a resource type.
 */
export function normalizeFilterState(partial: Partial<UsageFilterState> = {}): UsageFilterState {
  if (typeof partial !== 'object' || partial === null) fail('range', 'the filter state must be an object');
  const given = (field: FilterField) => partial[field] !== undefined;
  const list = <F extends ListField>(field: F, allowed?: readonly UsageFilterState[F][number][]): UsageFilterState[F] =>
    given(field) ? (checkList(field, partial[field], allowed) as UsageFilterState[F]) : DEFAULT_FILTER_STATE[field];
  const resourceType = given('resourceType') ? partial.resourceType! : null;
  if (resourceType !== null && !(RESOURCE_TYPES as readonly string[]).includes(resourceType)) {
    fail('resourceType', `resourceType must be one of ${RESOURCE_TYPES.join(', ')} or null; got ${String(resourceType)}`);
  }
  const amountMin = given('amountMin') ? checkAmount('amountMin', partial.amountMin) : null;
  const amountMax = given('amountMax') ? checkAmount('amountMax', partial.amountMax) : null;
  if (resourceType === null && amountMin !== null) fail('amountMin', 'amountMin needs a resourceType');
  if (resourceType === null && amountMax !== null) fail('amountMax', 'amountMax needs a resourceType');
  if (amountMin !== null && amountMax !== null && amountMin > amountMax) fail('amountMax', 'amountMin is above amountMax');
  const requestId = given('requestId') && partial.requestId !== null ? checkText('requestId', partial.requestId) : null;
  // Frozen, as the context value is: a host that mutates `filters` gets an error, not a silent change.
  return Object.freeze({
    range: given('range') ? checkRange(partial.range) : DEFAULT_FILTER_STATE.range,
    resourceType,
    userIds: list('userIds'),
    poolCategories: list('poolCategories', POOL_CATEGORIES),
    ioTypes: list('ioTypes', IO_TYPES),
    amountMin,
    amountMax,
    requestId,
    endpoints: list('endpoints'),
  });
}

/**
 * A state with some fields replaced, as a person's change or a piece's own attribute
 * makes it. Amounts are disabled under "every type", so clearing the resource type clears
 * them rather than failing; writing one under "every type" fails (`FilterStateError`).
 */
export function applyFilterPatch(state: UsageFilterState, patch: Partial<UsageFilterState>): UsageFilterState {
  const merged: Partial<UsageFilterState> = { ...state };
  for (const field of FILTER_FIELDS) {
    if (patch[field] !== undefined) (merged as Record<string, unknown>)[field] = patch[field];
  }
  if (merged.resourceType === null) {
    // Clearing the type clears the amounts; an amount the patch itself writes under
    // "every type" is refused (an attribute or a URL naming one without a type).
    if (patch.amountMin == null) merged.amountMin = null;
    if (patch.amountMax == null) merged.amountMax = null;
  }
  return normalizeFilterState(merged);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function sameRange(a: FilterRange, b: FilterRange): boolean {
  if ('preset' in a || 'preset' in b) return 'preset' in a && 'preset' in b && a.preset === b.preset;
  return a.from === b.from && a.to === b.to;
}

/** Whether two states hold the same filters (lists compared in order). */
export function sameFilterState(a: UsageFilterState, b: UsageFilterState): boolean {
  return FILTER_FIELDS.every((field) => {
    const x = a[field];
    const y = b[field];
    if (x === y) return true;
    if (Array.isArray(x) && Array.isArray(y)) return sameList(x, y);
    return field === 'range' && sameRange(x as FilterRange, y as FilterRange);
  });
}

/** The fields of `state` that differ from `base`. */
export function changedFields(base: UsageFilterState, state: UsageFilterState): FilterField[] {
  return FILTER_FIELDS.filter((field) => !sameFilterState({ ...base, [field]: state[field] }, base));
}

// ---- Time zones and presets ------------------------------------------------------------

/** Whether `timeZone` is an IANA zone this browser knows. */
export function isValidTimeZone(timeZone: string): boolean {
  return isTimeZone(timeZone);
}

export { defaultTimeZone };

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
export function zoneOffset(ms: number, timeZone: string): number {
  return new ZoneCalendar(timeZone).offset(ms);
}

/**
 * The instant at which the zone's clocks show a wall time (`month` 0-based, as `Date.UTC`
 * takes it). A time repeated by a change back takes its first occurrence; a time skipped
 * by a change forward is read with the offset before the change, as `Temporal`'s
 * 'compatible' does.
 */
export function zonedTimeToInstant(year: number, month: number, day: number, timeZone: string, hour = 0, minute = 0): number {
  return new ZoneCalendar(timeZone).instantOf(year, month + 1, day, hour, minute);
}

/**
 * The gap around a wall time that a change forward skips in the zone (`month` 0-based), as
 * wall times read as UTC milliseconds: `start` where the clocks leave off, `end` where they
 * go on. Null when the zone's clocks show that time.
 */
export function skippedWallTime(year: number, month: number, day: number, timeZone: string, hour = 0, minute = 0): { start: number; end: number } | null {
  return new ZoneCalendar(timeZone).skippedGap(year, month + 1, day, hour, minute);
}

export interface ResolvedRange {
  from: string;
  to: string;
}

/**
 * The instants of a range: a custom one as it is; a preset in `timeZone` at `now`, with
 * `to` = now floored to the minute + 1 minute.
 */
export function resolveRange(range: FilterRange, timeZone: string, now: number = Date.now()): ResolvedRange {
  if (!('preset' in range)) return { from: range.from, to: range.to };
  const to = Math.floor(now / 60_000) * 60_000 + 60_000;
  const hours: Partial<Record<RangePreset, number>> = { '24h': 24, '7d': 168, '30d': 720, '90d': 2_160 };
  const span = hours[range.preset];
  if (span !== undefined) return { from: formatInstant(to - span * 3_600_000), to: formatInstant(to) };
  const clock = new ZoneCalendar(timeZone);
  const { year, month } = clock.parts(now);
  const monthStart = clock.startOfLocalDate(year, month, 1);
  if (range.preset === 'this-month') return { from: formatInstant(monthStart), to: formatInstant(to) };
  const lastStart = clock.startOfLocalDate(month === 1 ? year - 1 : year, month === 1 ? 12 : month - 1, 1);
  return { from: formatInstant(lastStart), to: formatInstant(monthStart) };
}

/** Rolling presets stay open at their end for live updates; last-month and custom ranges do not. */
export function isOpenEnded(range: FilterRange): boolean {
  return 'preset' in range && range.preset !== 'last-month';
}

export type FilterPiece = 'table' | 'consumption' | 'surplus';

/**
 * The contract filter a piece sends for a state (the design, "Which piece honours which
 * field"): the table every field, and no `from`/`to` when a request ID is set; the
 * consumption chart all but the request ID; the surplus chart only the range and the
 * resource type. The charts use 'tokens' when the state says every type.
 */
export function toEventFilter(state: UsageFilterState, from: string, to: string, options: { piece: FilterPiece }): EventFilter {
  const { piece } = options;
  const resourceType = state.resourceType ?? (piece === 'table' ? undefined : 'tokens');
  const filter: EventFilter = {};
  if (!(piece === 'table' && state.requestId !== null)) {
    filter.from = from;
    filter.to = to;
  }
  if (resourceType !== undefined) filter.resourceType = resourceType;
  if (piece === 'surplus') return filter;
  if (state.userIds.length) filter.userIds = state.userIds;
  if (state.poolCategories.length) filter.poolCategories = state.poolCategories;
  if (state.ioTypes.length) filter.ioTypes = state.ioTypes;
  if (state.endpoints.length) filter.endpoints = state.endpoints;
  if (state.resourceType !== null && state.amountMin !== null) filter.amountMin = state.amountMin;
  if (state.resourceType !== null && state.amountMax !== null) filter.amountMax = state.amountMax;
  if (piece === 'table' && state.requestId !== null) filter.requestId = state.requestId;
  return filter;
}
