/**
 * Strict parsing of the filter attributes (DESIGN.md, "Filter attributes") into fields of
 * the filter state. Each field is parsed on its own, so a bad value costs only that field:
 * the caller reports the error and keeps the field's previous value.
 */
import { parseInstant } from '../api/contract.js';
import { FILTER_FIELDS, FilterStateError, normalizeFilterState, type FilterField, type UsageFilterState } from './state.js';

export const FILTER_ATTRIBUTES = [
  'range',
  'from',
  'to',
  'resource-type',
  'user-ids',
  'user-id',
  'pool-categories',
  'io-types',
  'amount-min',
  'amount-max',
  'request-id',
  'endpoints',
] as const;
export type FilterAttribute = (typeof FILTER_ATTRIBUTES)[number];

/** The attribute that names a field in error messages (for the range, `range`). */
export const ATTRIBUTE_OF_FIELD: Readonly<Record<FilterField, FilterAttribute>> = {
  range: 'range',
  resourceType: 'resource-type',
  userIds: 'user-ids',
  poolCategories: 'pool-categories',
  ioTypes: 'io-types',
  amountMin: 'amount-min',
  amountMax: 'amount-max',
  requestId: 'request-id',
  endpoints: 'endpoints',
};

export interface AttributeError {
  /** The attribute whose value is bad. */
  param: FilterAttribute;
  message: string;
  /** Only one of `from` and `to` is set: possibly a host halfway through setting both. */
  incomplete?: boolean;
}

export type FieldParse<F extends FilterField = FilterField> =
  | { field: F; present: false }
  | { field: F; present: true; value: UsageFilterState[F] }
  | { field: F; present: true; error: AttributeError };

export type AttributeReader = (name: FilterAttribute) => string | null;

class AttributeParseError extends Error {
  constructor(
    readonly param: FilterAttribute,
    message: string,
    readonly incomplete = false,
  ) {
    super(message);
  }
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function parseAmount(param: FilterAttribute, text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw new AttributeParseError(param, `${param} must be a non-negative integer; got "${text}"`);
  }
  return Number(trimmed);
}

/** The field's value from the attributes that set it, checked as the state checks it. */
function readField(field: FilterField, read: AttributeReader): { param: FilterAttribute; value: unknown } | null {
  if (field === 'range') {
    const from = read('from');
    const to = read('to');
    if (from !== null || to !== null) {
      if (from === null) throw new AttributeParseError('to', 'to needs from: set both or neither', true);
      if (to === null) throw new AttributeParseError('from', 'from needs to: set both or neither', true);
      if (parseInstant(from.trim()) === null) throw new AttributeParseError('from', `from must be an instant with Z or an offset; got "${from}"`);
      if (parseInstant(to.trim()) === null) throw new AttributeParseError('to', `to must be an instant with Z or an offset; got "${to}"`);
      return { param: 'from', value: { from: from.trim(), to: to.trim() } };
    }
  }
  let param = ATTRIBUTE_OF_FIELD[field];
  // Without `user-ids`, `user-id`, read the same way, commas included (DESIGN: "the same for
  // one user"; "IDs containing commas are set only through" `filters`).
  if (field === 'userIds' && read(param) === null) param = 'user-id';
  const text = read(param);
  if (text === null) return null;
  const trimmed = text.trim();
  let value: unknown;
  if (field === 'range') value = { preset: trimmed };
  else if (field === 'resourceType') value = trimmed === '' || trimmed === 'all' ? null : trimmed;
  else if (field === 'requestId') value = trimmed || null;
  else if (field === 'amountMin' || field === 'amountMax') value = parseAmount(param, text);
  else value = splitList(text);
  return { param, value };
}

/**
 * Parses the attributes that set one field. Absent attributes give `present: false`; a
 * bad value gives an error naming the attribute. The resource type is given to the
 * amount check so that amounts parse on their own (they apply only with a type).
 */
export function parseFilterField<F extends FilterField>(field: F, read: AttributeReader): FieldParse<F> {
  let param: FilterAttribute = ATTRIBUTE_OF_FIELD[field];
  try {
    const raw = readField(field, read);
    if (raw === null) return { field, present: false };
    param = raw.param;
    const partial: Partial<UsageFilterState> = { [field]: raw.value };
    if ((field === 'amountMin' || field === 'amountMax') && raw.value !== null) partial.resourceType = 'tokens';
    const value = normalizeFilterState(partial)[field];
    return { field, present: true, value };
  } catch (error) {
    if (error instanceof AttributeParseError) {
      const detail: AttributeError = { param: error.param, message: error.message };
      if (error.incomplete) detail.incomplete = true;
      return { field, present: true, error: detail };
    }
    if (error instanceof FilterStateError) return { field, present: true, error: { param, message: `${param}: ${error.message}` } };
    throw error;
  }
}

/** The fields touched when `attribute` changes. */
export function fieldOfAttribute(attribute: string): FilterField | undefined {
  if (attribute === 'from' || attribute === 'to') return 'range';
  if (attribute === 'user-id') return 'userIds';
  return FILTER_FIELDS.find((field) => ATTRIBUTE_OF_FIELD[field] === attribute);
}
