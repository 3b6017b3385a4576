/**
 * What the stories of every piece share: the render (args → attributes, the demo's request
 * options → `requestOptions`), the loaders that prepare each data set, and the states every
 * piece must show (loading, empty, error, hostile data, large data, live, dark, narrow).
 */
import type { Args, Meta, StoryContext, StoryObj } from '@storybook/web-components';
import { expect, waitFor } from 'storybook/test';
import type { RequestOptions } from '../../src/api/client.js';
import { darkPage } from './decorators.js';
import { DEMO_ENDPOINT, failingRequestOptions, loadDemo, pendingRequestOptions, rateLimitedRequestOptions, type Demo, type DemoKind } from './demo.js';
import { inBox, renderElement } from './render.js';
import { deepQueryAll } from './shadow.js';

/** What the loaders hand the render. */
export interface Loaded {
  demo?: Demo;
  requestOptions?: RequestOptions;
}

/** Loads a demo data set before the story renders. */
export function withDemo(kind: DemoKind) {
  return async (): Promise<Loaded> => ({ demo: await loadDemo(kind) });
}

/** The request options a story's elements get: the loaded demo's, or the loader's own. */
export function requestOptionsOf(context: StoryContext): RequestOptions | undefined {
  const loaded = context.loaded as Loaded;
  return loaded.requestOptions ?? loaded.demo?.requestOptions;
}

/** Renders `tag` from the args with the loaded request options, in a box when the story says `width`. */
export function renderPiece(tag: string) {
  return (args: Args, context: StoryContext): HTMLElement => {
    const element = renderElement(tag, args, { requestOptions: requestOptionsOf(context) });
    const width = context.parameters['width'] as string | undefined;
    return width ? inBox(element, width) : element;
  };
}

/**
 * The meta of a piece's stories: the demo data set, the endpoint, the render. (Storybook
 * reads `title` and `component` statically: each stories file writes them itself.)
 */
export function pieceMeta(tag: string, args: Args = {}): Meta {
  return {
    render: renderPiece(tag),
    loaders: [withDemo('small')],
    args: { 'data-endpoint': DEMO_ENDPOINT, ...args },
    parameters: { layout: 'padded' },
  };
}

/** The piece scoped to the demo's busiest user, as on a user's detail page. */
export function perUserStory(tag: string): StoryObj {
  const render = renderPiece(tag);
  return {
    render: (args, context) => render({ ...args, 'user-id': (context.loaded as Loaded).demo!.userId }, context),
  };
}

/**
 * `story` with its own description in the docs. A state's description sits in its
 * parameters, which Storybook prefers to a JSDoc comment on the export, so a story made
 * from a state says what it shows here, not in a comment.
 */
export function described(story: StoryObj, text: string): StoryObj {
  const docs = story.parameters?.['docs'] as Record<string, unknown> | undefined;
  return { ...story, parameters: { ...story.parameters, docs: { ...docs, description: { story: text } } } };
}

/** The least share of the pool's capacity the largest hourly draw of the `large` data set reaches (its bars visible). */
export const LARGE_DRAW_SHARE = 0.03;

/**
 * Waits for the surplus chart's summary and checks that its largest drawn bucket is at least
 * `LARGE_DRAW_SHARE` of the capacity: below that, the drawing leaves no mark on the pool's level
 * in the upper panel, and the story shows a pool nobody uses (the `large` data set's 50,000
 * users alone drew at most 0.14% of it).
 */
export async function expectVisibleSurplusDraws(canvasElement: HTMLElement): Promise<void> {
  const summary = () => deepQueryAll(canvasElement, 'surplus-chart')[0]?.shadowRoot?.querySelector('[part~="summary"]')?.textContent?.replace(/\s+/g, ' ') ?? '';
  const amount = (text: string | undefined) => Number(text?.replaceAll(',', '') ?? Number.NaN);
  await waitFor(() => expect(summary()).toMatch(/^Surplus drawn /), { timeout: 30_000 });
  const peak = amount(/most in the \w+ starting [^(]+\(([\d,]+) tokens\)/.exec(summary())?.[1]);
  const capacity = amount(/Lowest available [\d,]+ tokens of ([\d,]+) tokens/.exec(summary())?.[1]);
  expect(capacity).toBeGreaterThan(0);
  expect(peak / capacity).toBeGreaterThanOrEqual(LARGE_DRAW_SHARE);
}

/** A week long ago: the demo organization has no events then. */
export const EMPTY_RANGE = { from: '2001-01-01T00:00:00.000Z', to: '2001-01-08T00:00:00.000Z' } as const;

/** A state whose every request fails through `requestOptions`: its play waits for the piece's alert and checks it and its Retry button. */
function errorStory(args: Args, requestOptions: () => RequestOptions, description: string, check: (alert: Element, retry: Element | null) => void): StoryObj {
  return {
    loaders: [async (): Promise<Loaded> => ({ requestOptions: requestOptions() })],
    args,
    play: async ({ canvasElement }) => {
      await waitFor(
        () => {
          const [alert] = deepQueryAll(canvasElement, '[part~="error"][role="alert"]');
          expect(alert).toBeTruthy();
          check(alert!, alert!.querySelector('[part~="retry"]'));
        },
        { timeout: 10_000 },
      );
    },
    parameters: { docs: { description: { story: description } } },
  };
}

/** The states every piece shows; a piece's stories file re-exports them under their names. */
export function commonStates(args: Args = {}, largeArgs: Args = {}): Record<
  'Loading' | 'Empty' | 'Error' | 'RateLimited' | 'HostileData' | 'LargeData' | 'Live' | 'DarkTheme' | 'NarrowHost',
  StoryObj
> {
  return {
    // A stories file exports it with `tags: ['never-settles']` (the story check's cue).
    Loading: {
      loaders: [async (): Promise<Loaded> => ({ requestOptions: pendingRequestOptions() })],
      args,
      parameters: { docs: { description: { story: 'The endpoint never answers: the piece stays busy (`loading`, `aria-busy`).' } } },
    },
    Empty: {
      args: { ...args, ...EMPTY_RANGE },
      play: async ({ canvasElement }) => {
        await waitFor(() => expect(deepQueryAll(canvasElement, '[part~="empty"]').length).toBeGreaterThan(0), { timeout: 10_000 });
      },
      parameters: { docs: { description: { story: 'Nothing matches the filters (a week before the demo organization existed).' } } },
    },
    Error: errorStory(args, failingRequestOptions, 'The endpoint answers 500: the piece shows the error with Retry, fires `usage-error`, and asks again by itself (after 30 s, or when the browser is back online).', (alert, retry) => {
      expect(alert.textContent).toContain('The usage store is unavailable (demo failure).');
      expect(retry?.textContent?.trim()).toBe('Retry');
    }),
    RateLimited: errorStory(
      args,
      rateLimitedRequestOptions,
      'The endpoint answers 429 with `Retry-After: 120`: the piece says when to try again and holds Retry until then, so it cannot hammer the endpoint.',
      (alert, retry) => {
        expect(alert.textContent).toContain('Try again at');
        expect(retry?.getAttribute('aria-disabled')).toBe('true');
      },
    ),
    HostileData: {
      loaders: [withDemo('hostile')],
      args,
      play: async ({ canvasElement }) => {
        // Markup in the data stays text: nothing it names may exist as an element.
        await waitFor(() => expect(deepQueryAll(canvasElement, '[part]').length).toBeGreaterThan(0), { timeout: 10_000 });
        expect(deepQueryAll(canvasElement, 'img[src="x"], script')).toHaveLength(0);
      },
      parameters: {
        docs: {
          description: {
            story: 'User IDs, endpoints and request IDs with markup, scripts, formula prefixes, right-to-left and very long text: all shown as text.',
          },
        },
      },
    },
    LargeData: {
      loaders: [withDemo('large')],
      args: { ...args, range: '90d', ...largeArgs },
      parameters: {
        docs: { description: { story: `90 days of traffic from 50,000 users${largeArgs['bucket'] ? `, in ${String(largeArgs['bucket'])} buckets` : ''}.` } },
      },
    },
    Live: {
      loaders: [withDemo('live')],
      args: { ...args, live: true },
      parameters: { docs: { description: { story: 'New events are ingested into the in-memory store every second and arrive over the live stream.' } } },
    },
    DarkTheme: {
      args: { ...args, theme: 'dark' },
      decorators: [darkPage],
      parameters: { docs: { description: { story: 'With `theme="dark"` on a dark page: every colour from the same custom properties, the canvas included.' } } },
    },
    NarrowHost: {
      args,
      parameters: { width: '360px', docs: { description: { story: 'In a 360 px wide host (a phone, a sidebar).' } } },
    },
  };
}
