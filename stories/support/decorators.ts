/** Page-level wrappers the stories share: a dark page behind dark-themed elements. */
import type { Decorator } from '@storybook/web-components';
import { html } from 'lit';

/** The page around the story is dark, as a host that switches to a dark theme would make it. */
export const darkPage: Decorator = (story) => html`<div style="background:#0d1117;color:#e6edf3;padding:16px;min-height:100vh;box-sizing:border-box">${story()}</div>`;
