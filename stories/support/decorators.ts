/** Page-level wrappers the stories share: a dark page behind dark-themed elements, the theme toolbar. */
import type { Decorator } from '@storybook/web-components';
import { html, render } from 'lit';

/** The tags whose `theme` the toolbar sets. */
const LIBRARY_TAGS = new Set(['usage-filters', 'usage-filter-bar', 'surplus-chart', 'consumption-chart', 'consumption-events-table']);

const DARK_PAGE = '#0d1117';

/**
 * The page around the story is dark, as a host that switches to a dark theme would make it:
 * the frame's body too, so the padded layout leaves no light border around it.
 */
export const darkPage: Decorator = (story) => {
  document.body.style.background = DARK_PAGE;
  return html`<div style="background:${DARK_PAGE};color:#e6edf3;padding:16px;min-height:100vh;box-sizing:border-box">${story()}</div>`;
};

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
  return darkPage(() => root, context);
};

/** `content` rendered by Lit into a `display: contents` box. */
function contentsBox(content: unknown): HTMLElement {
  const box = document.createElement('div');
  box.style.display = 'contents';
  render(content, box);
  return box;
}
