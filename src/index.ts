/**
 * The package's main entry, for bundlers: every class, type and helper, with no side
 * effect (importing it registers no tag). Register tags by importing their define modules
 * (`usage-dashboard-elements/usage-filters`, …) or use the bundle.
 */

// Elements (classes only; their define modules register the tags).
export { UsageFilters } from './usage-filters/usage-filters.component.js';
export { UsageFilterBar } from './usage-filter-bar/usage-filter-bar.component.js';
export { ConsumptionEventsTable } from './consumption-events-table/consumption-events-table.component.js';
export { ConsumptionChart } from './consumption-chart/consumption-chart.component.js';
export { SurplusChart } from './surplus-chart/surplus-chart.component.js';

// What every element shares.
export { UsageBaseElement } from './base/usage-base-element.js';
export { UsageElement, type FilterSourceKind, type FilterView } from './base/usage-element.js';
export { RANGE_PRESET_PHRASES, describeActiveFilters, renderEmpty, renderError, renderLoadingFrame, stateStyles } from './base/states.js';
export { SHAPE_TOKENS, THEME_TOKENS, themeStyles, type ThemeTokens } from './base/theme.js';

// The shared filter state.
export {
  DEFAULT_FILTER_STATE,
  FILTER_FIELDS,
  FilterStateError,
  RANGE_PRESETS,
  applyFilterPatch,
  isOpenEnded,
  normalizeFilterState,
  resolveRange,
  sameFilterState,
  toEventFilter,
  type FilterField,
  type FilterPiece,
  type FilterRange,
  type RangePreset,
  type ResolvedRange,
  type UsageFilterState,
} from './filters/state.js';
export { FILTER_ATTRIBUTES, type AttributeError, type FilterAttribute } from './filters/attributes.js';
export {
  FILTERS_CONTEXT_KEY,
  THEMES,
  filtersContext,
  type FilterUpdateOptions,
  type FiltersContextValue,
  type Theme,
  type UsageSettings,
} from './filters/context.js';
export { filterGroups, getFilterGroup, type FilterGroup } from './filters/groups.js';
export { FilterStore, type FilterSource } from './filters/store.js';
export { DEFAULT_URL_PREFIX, URL_KEYS, readFilterParams, writeFilterParams } from './filters/url-sync.js';

// Events.
export * from './events/index.js';

// The data-endpoint contract and its client.
export * from './api/contract.js';
export { matchesFilter, type MatchOptions } from './api/match.js';
export {
  UsageApiError,
  configureUsageDashboard,
  fetchConsumption,
  fetchEndpoints,
  fetchEvents,
  fetchLimits,
  fetchSurplus,
  fetchUser,
  fetchUsers,
  fetchUsersById,
  type RequestOptions,
  type UsageErrorCode,
} from './api/client.js';
export { ZoneClock, bucketIndex, defaultTimeZone, isTimeZone, localParts, type LocalParts } from './api/time-zone.js';
export { subscribeToLiveEvents, type LiveStatus, type LiveSubscription } from './api/stream.js';

// Formatting.
export * from './format/index.js';
