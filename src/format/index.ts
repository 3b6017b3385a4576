export { formatAmount, parseAmount, type AmountFormatOptions } from './amount.js';
export { isolate } from './bidi.js';
export {
  formatDateTime,
  formatInstantFull,
  formatRange,
  formatRelative,
  type DateTimeFormatOptions,
  type DateTimeStyle,
  type InstantInput,
} from './datetime.js';
export { countPhrase, ioTypeLabel, poolCategoryLabel, resourceTypeLabel, unitLabel } from './labels.js';
