/**
 * Renders a tag from a story's args, driven by custom-elements.json: an arg named like an
 * attribute (kebab-case) is set as that attribute (`attributeText`), so the controls exercise
 * the same parsing a host's HTML does; a property without an attribute (`filters`)
 * is assigned; and every event the tag fires is logged in the Actions panel, by its detail.
 */
import type { Args } from '@storybook/web-components';
import { action } from 'storybook/actions';
import { attributeText, declarationOf, namedEvents, propertyOnlyMembers } from './manifest.js';

/** The events every element may fire (DESIGN.md), logged even before the manifest lists a tag. */
const LIBRARY_EVENTS = ['usage-filters-change', 'usage-user-select', 'usage-request-select', 'usage-error'];

/**
 * A new `tag` with `args` applied, then `properties` assigned (e.g. `requestOptions`,
 * which a story computes rather than takes from a control).
 */
export function renderElement<T extends HTMLElement = HTMLElement>(
  tag: string,
  args: Args,
  properties: Record<string, unknown> = {},
): T {
  const element = document.createElement(tag) as T;
  const declaration = declarationOf(tag);
  const propertyNames = new Set(declaration ? propertyOnlyMembers(declaration).map((member) => member.name) : []);
  for (const [name, value] of Object.entries(args)) {
    if (/^(event|slot|css|part):/.test(name)) continue;
    const text = propertyNames.has(name) ? undefined : attributeText(name, value);
    if (text === null) element.removeAttribute(name);
    else if (text !== undefined) element.setAttribute(name, text);
    else if (value !== undefined) (element as unknown as Record<string, unknown>)[name] = value;
  }
  Object.assign(element, properties);
  const events = new Set([...LIBRARY_EVENTS, ...(declaration ? namedEvents(declaration).map((event) => event.name) : [])]);
  // The event's detail, not the event: the Actions panel shows an event object as its
  // class, minified in the static build, with the detail folded away.
  for (const name of events) {
    const log = action(name);
    element.addEventListener(name, (event) => log('detail' in event ? event.detail : event));
  }
  return element;
}

/** Wraps `content` in a box `width` wide (a narrow host, a sidebar). */
export function inBox(content: Node, width: string): HTMLElement {
  const box = document.createElement('div');
  box.style.width = width;
  box.style.maxWidth = '100%';
  box.append(content);
  return box;
}
