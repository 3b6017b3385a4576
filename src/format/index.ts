export { formatAmount, formatBytesShort, parseAmount, type AmountFormatOptions } from './amount.js';
export { isolate } from './bidi.js';
export {
  bucketPhrase,
  formatDateTime,
  formatInstantFull,
  formatRange,
  formatRelative,
  formatWhen,
  type DateTimeFormatOptions,
  type DateTimeStyle,
  type InstantInput,
} from './datetime.js';
export { changePhrase, countPhrase, ofSpanned, spanPhrase, ioTypeLabel, poolCategoryLabel, resourceTypeLabel, unitLabel } from './labels.js';
