export { UsageFiltersChangeEvent, type UsageFiltersChangeDetail } from './usage-filters-change.js';
export { UsageUserSelectEvent, type UsageUserSelectDetail } from './usage-user-select.js';
export { UsageRequestSelectEvent, type UsageRequestSelectDetail } from './usage-request-select.js';
export { UsageErrorEvent, type UsageErrorDetail } from './usage-error.js';
