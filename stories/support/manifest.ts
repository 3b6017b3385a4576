/**
 * Storybook controls and the docs tables from custom-elements.json: one row per attribute
 * (with a control), per property that has no attribute, per event (logged in Actions),
 * per CSS custom property and per CSS part. Attributes whose values are a closed set get
 * a select listing exactly the values the library accepts.
 */
import type { ArgTypes, InputType } from 'storybook/internal/types';
import { BUCKETS, EVENT_SORT_COLUMNS, GROUP_BYS, RESOURCE_TYPES } from '../../src/api/contract.js';
import { THEMES } from '../../src/filters/context.js';
import { RANGE_PRESETS } from '../../src/filters/state.js';

interface ManifestItem {
  name: string;
  description?: string;
  summary?: string;
  type?: { text?: string };
  default?: string;
  kind?: string;
  privacy?: string;
  static?: boolean;
  attribute?: string;
  fieldName?: string;
  readonly?: boolean;
}

export interface ManifestDeclaration {
  tagName?: string;
  name: string;
  description?: string;
  summary?: string;
  attributes?: ManifestItem[];
  members?: ManifestItem[];
  events?: ManifestItem[];
  slots?: ManifestItem[];
  cssProperties?: ManifestItem[];
  cssParts?: ManifestItem[];
}

export interface Manifest {
  modules: { path: string; declarations?: ManifestDeclaration[] }[];
}

/** Values the library accepts for attributes whose type text does not list them. */
const CLOSED_SETS: Readonly<Record<string, readonly string[]>> = {
  range: RANGE_PRESETS,
  'resource-type': [...RESOURCE_TYPES, 'all'],
  theme: THEMES,
  bucket: BUCKETS,
  'group-by': GROUP_BYS,
  order: ['asc', 'desc'],
  sort: EVENT_SORT_COLUMNS,
};

/**
 * Attributes that take an instant (ISO 8601 with `Z` or an offset): a date control, whose
 * value (a timestamp) `attributeText` writes as an ISO string. Not a text control: Storybook's
 * channel between the controls and the preview turns any string shaped like
 * `2024-05-01T00:00:00.000Z` into a Date, which the text control then shows as empty.
 */
export const INSTANT_ATTRIBUTES: ReadonlySet<string> = new Set(['from', 'to']);

/**
 * What the element reports rather than takes (it sets `loading` and `error` itself), and
 * what a control cannot carry (request options hold functions): shown, without a control.
 */
const NO_CONTROL = new Set(['loading', 'error', 'requestOptions']);

/** `'a' | 'b' | undefined` → ['a', 'b']; null when the type is not a union of string literals. */
function literalUnion(typeText: string | undefined): string[] | null {
  if (!typeText) return null;
  const parts = typeText.split('|').map((part) => part.trim()).filter((part) => part !== 'undefined' && part !== 'null');
  if (parts.length === 0 || !parts.every((part) => /^'[^']*'$/.test(part))) return null;
  return parts.map((part) => part.slice(1, -1));
}

function controlFor(attribute: ManifestItem): InputType['control'] {
  if (INSTANT_ATTRIBUTES.has(attribute.name)) return { type: 'date' };
  const options = CLOSED_SETS[attribute.name] ?? literalUnion(attribute.type?.text);
  if (options) return { type: 'select' };
  if (attribute.type?.text?.startsWith('boolean')) return { type: 'boolean' };
  if (attribute.type?.text?.startsWith('number')) return { type: 'number' };
  return { type: 'text' };
}

/**
 * JSDoc text as the docs' Markdown reads it: the comments are hard-wrapped, and an inline
 * code span broken over two lines (`a /⏎ b`) renders as a code block that cuts the
 * sentence in two; its line breaks become spaces.
 */
export function docsMarkdown(text: string): string {
  return text.replace(/`[^`]*`/g, (span) => span.replace(/\s*\n\s*/g, ' '));
}

function row(item: ManifestItem, category: string, extra: Partial<InputType> = {}): InputType {
  return {
    name: item.name,
    description: docsMarkdown(item.description ?? item.summary ?? ''),
    table: {
      category,
      type: item.type?.text ? { summary: item.type.text } : undefined,
      defaultValue: item.default !== undefined ? { summary: item.default } : undefined,
    },
    control: false,
    ...extra,
  };
}

/** Every tag the manifest declares, keyed by tag name (test helpers excluded). */
export function declarationsByTag(manifest: Manifest): Map<string, ManifestDeclaration> {
  const byTag = new Map<string, ManifestDeclaration>();
  for (const module of manifest.modules) {
    if (/(^|\/)test-|\.test\./.test(module.path)) continue;
    for (const declaration of module.declarations ?? []) {
      if (declaration.tagName) byTag.set(declaration.tagName, declaration);
    }
  }
  return byTag;
}

/**
 * The public properties that no attribute sets (e.g. `filters`, `requestOptions`); a Lit
 * `static properties` entry is listed with `privacy: 'public'`, other public members without privacy.
 */
export function propertyOnlyMembers(declaration: ManifestDeclaration): ManifestItem[] {
  return (declaration.members ?? []).filter(
    (member) =>
      member.kind === 'field' &&
      !member.static &&
      (member.privacy ?? 'public') === 'public' &&
      !member.attribute &&
      !member.name.startsWith('#'),
  );
}

/** The events with a name (the analyzer also lists unnamed `dispatchEvent` calls). */
export function namedEvents(declaration: ManifestDeclaration): ManifestItem[] {
  const seen = new Set<string>();
  return (declaration.events ?? []).filter((event) => event.name && !seen.has(event.name) && seen.add(event.name));
}

export function argTypesFor(declaration: ManifestDeclaration): ArgTypes {
  const argTypes: ArgTypes = {};
  for (const attribute of declaration.attributes ?? []) {
    const options = CLOSED_SETS[attribute.name] ?? literalUnion(attribute.type?.text) ?? undefined;
    argTypes[attribute.name] = row(attribute, 'attributes', {
      control: NO_CONTROL.has(attribute.name) ? false : controlFor(attribute),
      ...(options ? { options: ['', ...options] } : {}),
    });
  }
  for (const member of propertyOnlyMembers(declaration)) {
    argTypes[member.name] = row(member, 'properties', { control: member.readonly || NO_CONTROL.has(member.name) ? false : { type: 'object' } });
  }
  for (const event of namedEvents(declaration)) argTypes[`event:${event.name}`] = row(event, 'events', { name: event.name });
  for (const slot of declaration.slots ?? []) argTypes[`slot:${slot.name || 'default'}`] = row({ ...slot, name: slot.name || '(default)' }, 'slots');
  for (const cssProperty of declaration.cssProperties ?? []) argTypes[`css:${cssProperty.name}`] = row(cssProperty, 'css custom properties');
  for (const cssPart of declaration.cssParts ?? []) argTypes[`part:${cssPart.name}`] = row(cssPart, 'css shadow parts');
  return argTypes;
}

/**
 * The text an arg sets as the attribute `name`: null removes the attribute (no value, or
 * false), undefined means the value is no attribute's (an object: a property). An instant
 * attribute takes the date control's timestamp, or a Date (what the channel makes of an ISO
 * string, and the URL of `!date(…)`), as an ISO string.
 */
export function attributeText(name: string, value: unknown): string | null | undefined {
  if (!/^[a-z][a-z-]*$/.test(name)) return undefined;
  if (value === undefined || value === null || value === '' || value === false) return null;
  if (value === true) return '';
  const instant = value instanceof Date ? value.getTime() : INSTANT_ATTRIBUTES.has(name) && typeof value === 'number' ? value : undefined;
  if (instant !== undefined) return Number.isFinite(instant) ? new Date(instant).toISOString() : null;
  return typeof value === 'object' ? undefined : String(value);
}

let registered: Map<string, ManifestDeclaration> = new Map();

/** Called once by .storybook/preview.ts with custom-elements.json (generated by the build). */
export function registerManifest(manifest: Manifest): void {
  registered = declarationsByTag(manifest);
}

/** The registered manifest's declaration of a tag, if the manifest lists it. */
export function declarationOf(tag: string): ManifestDeclaration | undefined {
  return registered.get(tag);
}

/** Storybook's `extractArgTypes`: the controls and docs tables of a tag. */
export function extractArgTypes(tag: string): ArgTypes | null {
  const declaration = declarationOf(tag);
  return declaration ? argTypesFor(declaration) : null;
}

/** Storybook's `extractComponentDescription`: the class JSDoc. */
export function extractComponentDescription(tag: string): string | null {
  const declaration = declarationOf(tag);
  const text = declaration ? (declaration.description ?? declaration.summary ?? null) : null;
  return text === null ? null : docsMarkdown(text);
}
