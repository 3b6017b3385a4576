/** Page-level wrappers the stories share: a dark page behind dark-themed elements, the theme toolbar. */
import type { Decorator } from '@storybook/web-components';
import { html, render } from 'lit';

/** The tags whose `theme` the toolbar sets. */
const LIBRARY_TAGS = new Set(['usage-filters', 'usage-filter-bar', 'surplus-chart', 'consumption-chart', 'consumption-events-table']);

const DARK_PAGE = '#0d1117';

/** Marks the dark page's box, so that the toolbar's dark theme does not wrap a story in a second one. */
const DARK_PAGE_ATTRIBUTE = 'data-dark-page';

/**
 * The page around the story is dark, as a host that switches to a dark theme would make it:
 * the frame's body too, so the padded layout leaves no light border around it. That body
 * fills the frame, so the box needs no height of its own (a `min-height: 100vh` made every
 * dark story 32 px taller than the frame in the padded layout, and each dark story in the
 * docs a screen tall). `color-scheme: dark` darkens the native controls a host puts among
 * the elements (the dashboard's "Group by" select), as a dark host page would.
 */
export const darkPage: Decorator = (story) => {
  document.body.style.background = DARK_PAGE;
  return html`<div data-dark-page style="background:${DARK_PAGE};color:#e6edf3;color-scheme:dark;padding:16px">${story()}</div>`;
};

/** Whether `root` is, or (a `display: contents` box) holds, the dark page's box: a DarkTheme story's own. */
function isDarkPage(root: Element): boolean {
  return root.hasAttribute(DARK_PAGE_ATTRIBUTE) || [...root.children].some((child) => child.hasAttribute(DARK_PAGE_ATTRIBUTE));
}

/**
 * The toolbar's theme (the `theme` global): "dark" shows any story with `theme="dark"` on
 * every element that sets no theme of its own, on a dark page. The story check runs every
 * story so too.
 */
export const themeFromGlobals: Decorator = (story, context) => {
  // A story before this one may have darkened the body; this story's darkPage darkens it again.
  document.body.style.background = '';
  const rendered = story();
  if (context.globals['theme'] !== 'dark') return rendered;
  // A story decorator may return a template (BrandTheme wraps the page in its own styles):
  // rendered here into a box that lays out as nothing, so that its elements can be found.
  const root = rendered instanceof Element ? rendered : contentsBox(rendered);
  for (const element of [root, ...root.querySelectorAll('*')]) {
    if (LIBRARY_TAGS.has(element.localName) && !element.hasAttribute('theme')) element.setAttribute('theme', 'dark');
  }
  // A DarkTheme story is on the dark page already: a second one would pad it twice.
  return isDarkPage(root) ? root : darkPage(() => root, context);
};

/** `content` rendered by Lit into a `display: contents` box. */
function contentsBox(content: unknown): HTMLElement {
  const box = document.createElement('div');
  box.style.display = 'contents';
  render(content, box);
  return box;
}
