/**
 * Test helpers for the charts: the seeded in-memory reference server (a fixed clock, so
 * ranges are known) as the charts' fetch, a record of every request, and readers of what
 * ECharts was given.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { a11ySnapshot } from '@web/test-runner-commands';
import { getInstanceByDom, type ECharts } from 'echarts/core';
import type { TemplateResult } from 'lit';
import { mount, unmountAll } from '../base/test-piece.js';
import { createDemoHandler, type DemoServer } from '../../server/index.js';
import type { ConsumptionEvent, IngestEventInput } from '../api/contract.js';
import { addUserTo, ingestInto, type TestUserLimits } from '../base/test-demo.js';
import type { UsageChartElement } from './usage-chart-element.js';

/** The demo server's clock: its history ends here. */
export const NOW = Date.parse('2026-03-10T12:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** A custom week ending at NOW, whole hours. */
export const WEEK = { from: new Date(NOW - 7 * DAY).toISOString(), to: new Date(NOW).toISOString() };

let shared: DemoServer | undefined;

afterEach(unmountAll);

/**
 * Renders a template into the document and returns its first element. Not `fixture()`:
 * that waits for an animation frame, which a test page in the background (web-test-runner
 * runs two at once) never gets.
 */
export function place<E extends Element = HTMLElement>(template: TemplateResult): E {
  return mount(template).firstElementChild as E;
}

/** One seeded demo organization per test file (seeding takes a moment). */
export function demoServer(): DemoServer {
  return (shared ??= createDemoHandler({ events: 4_000, now: () => NOW, days: 30 }));
}

export interface Recorder {
  urls: URL[];
  /** The requests to one route (`consumption`, `surplus`, `users/u1`, `events/stream`). */
  to(path: string): URL[];
  requestOptions: { fetch: typeof fetch; headers: Record<string, string> };
  /** Lets a test answer or hold a request instead of the server. */
  intercept?: (url: URL, forward: () => Promise<Response>) => Promise<Response>;
}

/** A recorder whose answers wait until `release()`: a chart's first load, held. */
export function heldRecorder(): { record: Recorder; release: () => void } {
  const record = recorder();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  record.intercept = async (_url, forward) => {
    await gate;
    return forward();
  };
  return { record, release };
}

export function recorder(server: DemoServer = demoServer()): Recorder {
  const record: Recorder = {
    urls: [],
    to: (path) => record.urls.filter((url) => url.pathname === `/api/${path}`),
    requestOptions: {
      headers: server.requestOptions.headers,
      fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input), location.href);
        record.urls.push(url);
        const forward = (): Promise<Response> => server.fetch(input, init);
        return record.intercept ? record.intercept(url, forward) : forward();
      }) as typeof fetch,
    },
  };
  return record;
}

export { paramsOf } from '../base/test-demo.js';

/** The same request straight to the server (the answer the chart got). */
export async function answerOf<T>(url: URL, server: DemoServer = demoServer()): Promise<T> {
  const response = await server.fetch(url.pathname + url.search, { headers: server.requestOptions.headers });
  return (await response.json()) as T;
}

/** The users' names as the server has them (`GET users?id=…`): ID → name, for those with one. */
export async function userNames(ids: readonly string[], server: DemoServer = demoServer()): Promise<Map<string, string>> {
  const query = new URLSearchParams([...ids.map((id) => ['id', id]), ['limit', '200']]);
  const page = await answerOf<{ items: { id: string; name?: string }[] }>(new URL(`/api/users?${query}`, location.href), server);
  return new Map(page.items.flatMap((user) => (user.name ? [[user.id, user.name] as const] : [])));
}

/**
 * A user as a chart writes one once the names are in: "Ada u1" as the legend and lists show
 * it (`shown`), "Ada (u1)" where it is written out (`full`); the ID alone without a name.
 */
export function namedUser(names: ReadonlyMap<string, string>, id: string, style: 'shown' | 'full' = 'shown'): string {
  const name = names.get(id);
  if (!name) return id;
  return style === 'full' ? `${name} (${id})` : `${name} ${id}`;
}

/** The chart's ECharts instance. */
export function instanceOf(chart: UsageChartElement<never> | HTMLElement): ECharts {
  const plot = chart.shadowRoot!.querySelector<HTMLElement>('.plot')!;
  const instance = getInstanceByDom(plot);
  if (!instance) throw new Error('No ECharts instance on the plot');
  return instance;
}

/** Counts the calls of a chart's ECharts method from now on (each still made): how many so far. */
export function countCalls(chart: HTMLElement, method: 'setOption' | 'resize'): () => number {
  const instance = instanceOf(chart) as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = instance[method]!.bind(instance);
  let calls = 0;
  instance[method] = (...args: unknown[]) => {
    calls++;
    return original(...args);
  };
  return () => calls;
}

interface SeriesOptionRead {
  id: string;
  type: string;
  data: [number, number | null][];
  stack?: string;
  xAxisIndex?: number;
  yAxisIndex?: number;
  lineStyle?: { type?: string; color?: string };
  barWidth?: number;
  large?: boolean;
  largeThreshold?: number;
  progressive?: number;
  itemStyle?: { color?: string; borderColor?: string; borderWidth?: number; decal?: unknown };
  areaStyle?: { color?: string; opacity?: number };
}

/** The series ECharts was given, by id. */
export function seriesOf(chart: HTMLElement): Map<string, SeriesOptionRead> {
  const option = instanceOf(chart).getOption() as { series: SeriesOptionRead[] };
  return new Map(option.series.map((s) => [s.id, s]));
}

/** Waits until a chart shows an answer (or a state) with nothing in flight and its option applied. */
export async function settled(chart: HTMLElement & { loading: boolean }, message = 'the chart settles'): Promise<void> {
  await waitUntil(
    () => {
      const root = chart.shadowRoot;
      if (!root || chart.loading) return false;
      if (root.querySelector('[part~="error"], [part~="empty"]')) return true;
      const plot = root.querySelector<HTMLElement>('.plot');
      const instance = plot ? getInstanceByDom(plot) : undefined;
      return instance !== undefined && ((instance.getOption() as { series?: unknown[] } | undefined)?.series?.length ?? 0) > 0;
    },
    message,
    { timeout: 10_000 },
  );
  await (chart as unknown as { updateComplete: Promise<unknown> }).updateComplete;
}

/** A chart alone against the demo server with the given attributes; resolves once it has drawn. */
export async function mountChart<E extends HTMLElement & { loading: boolean; requestOptions?: unknown }>(
  tag: 'consumption-chart' | 'surplus-chart',
  attributes: Record<string, string> = {},
  record: Recorder = recorder(),
): Promise<{ chart: E; record: Recorder }> {
  await demoServer().ready;
  const chart = document.createElement(tag) as unknown as E;
  chart.setAttribute('data-endpoint', '/api');
  chart.setAttribute('time-zone', 'UTC');
  chart.setAttribute('locale', 'en-US');
  chart.setAttribute('from', WEEK.from);
  chart.setAttribute('to', WEEK.to);
  for (const [name, value] of Object.entries(attributes)) chart.setAttribute(name, value);
  chart.requestOptions = record.requestOptions;
  place(html`<div style="width: 720px">${chart}</div>`);
  await settled(chart);
  return { chart, record };
}

/**
 * Adds a user to the demo organization so that events can be ingested for it: generous
 * base budgets by default; `{ basePer4h: 0, surplusPer4h: … }` makes every event draw surplus.
 */
export function addUser(userId: string, limits?: TestUserLimits, server: DemoServer = demoServer()): Promise<void> {
  return addUserTo(server, userId, limits);
}

/** Ingests events through `POST events` and returns them as stored. */
export function ingest(events: IngestEventInput[], server: DemoServer = demoServer()): Promise<ConsumptionEvent[]> {
  return ingestInto(server, events);
}

/** The plot's pixel at the middle of bucket `index` of `count` equal ones (for pointer tests); `right` is the plot's right margin. */
export function bucketPoint(chart: HTMLElement, index: number, count: number, right = 16): { x: number; y: number } {
  const plot = chart.shadowRoot!.querySelector<HTMLElement>('.plot')!.getBoundingClientRect();
  const left = 64;
  const width = plot.width - left - right;
  return { x: plot.left + left + ((index + 0.5) / count) * width, y: plot.top + plot.height / 2 };
}

/** A pointer drag across the plot from one point to another (a brush). */
export function dragAcross(chart: HTMLElement, start: { x: number; y: number }, end: { x: number; y: number }): void {
  const plot = chart.shadowRoot!.querySelector<HTMLElement>('.plot')!;
  const pointer = (type: string, at: { x: number; y: number }) =>
    plot.dispatchEvent(new PointerEvent(type, { clientX: at.x, clientY: at.y, button: 0, buttons: 1, pointerId: 1, bubbles: true }));
  pointer('pointerdown', start);
  pointer('pointermove', end);
  pointer('pointerup', end);
}

/** The accessible names the browser gives the page's buttons and links, or elements of `roles` (its own accessibility tree). */
export async function accessibleNames(roles: readonly string[] = ['button', 'link']): Promise<string[]> {
  interface Node {
    role?: string;
    name?: string;
    children?: Node[];
  }
  const names: string[] = [];
  const walk = (node: Node): void => {
    if (node.role && roles.includes(node.role) && node.name) names.push(node.name);
    for (const child of node.children ?? []) walk(child);
  };
  walk((await a11ySnapshot({})) as unknown as Node);
  return names;
}

/** The texts that describe a chart's plot, in order; every element its aria-describedby names must exist (a chart without notes does not name them). */
export function describedBy(chart: HTMLElement): string[] {
  const root = chart.shadowRoot!;
  const ids = root.querySelector('[part~="chart"]')!.getAttribute('aria-describedby')!.split(' ');
  const missing = ids.filter((id) => !root.getElementById(id));
  if (missing.length) throw new Error(`aria-describedby names what is not there: ${missing.join(', ')}`);
  return ids.map((id) => root.getElementById(id)!.textContent!.replace(/\s+/g, ' ').trim());
}

/**
 * Opens the chart's table view, presses its "Download CSV" and returns the file it saved
 * (the link's click is caught before the browser acts on it), its lines split into cells.
 */
export async function downloadedCsv(chart: HTMLElement & { updateComplete: Promise<boolean> }): Promise<{ filename: string; rows: string[][]; text: string }> {
  const root = chart.shadowRoot!;
  if (!root.querySelector('[part~="download"]')) {
    root.querySelector<HTMLElement>('[part~="table-toggle"]')!.click();
    await chart.updateComplete;
  }
  let link: HTMLAnchorElement | undefined;
  const catchLink = (event: Event): void => {
    if (!(event.target instanceof HTMLAnchorElement) || !event.target.download) return;
    event.preventDefault();
    link = event.target;
  };
  document.addEventListener('click', catchLink, true);
  try {
    root.querySelector<HTMLElement>('[part~="download"]')!.click();
  } finally {
    document.removeEventListener('click', catchLink, true);
  }
  if (!link) throw new Error('no file was saved');
  const text = await (await fetch(link.href)).text();
  return { filename: link.download, text, rows: text.split('\r\n').slice(0, -1).map((line) => line.split(',')) };
}

/** An element's text without what `hide` matches, spaces collapsed. */
export function textWithout(element: Element, hide: string): string {
  const copy = element.cloneNode(true) as Element;
  for (const hidden of copy.querySelectorAll(hide)) hidden.remove();
  return copy.textContent!.replace(/\s+/g, ' ').trim();
}

/**
 * Checks the unit beside a chart's title under every type ("Tokens only", saying why to a
 * screen reader and in its title) and under each type in turn, as shown and as heard.
 */
export async function checkUnits(chart: HTMLElement & { loading: boolean }, title: string): Promise<void> {
  const part = (name: string) => chart.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
  const shown = () => textWithout(part('unit'), '.sr-only');
  // What Chrome reads out: a space the title's text lost between Lit's markers would run
  // the words together ("Surplus poolTokens only").
  const heard = async () => (await accessibleNames(['heading'])).find((name) => name.startsWith(title));
  expect(shown()).to.equal('Tokens only');
  expect(part('unit').title).to.equal('All types selected: charts show tokens (the event log, every type)');
  expect(await heard()).to.equal(`${title} Tokens only (all types selected: charts show tokens)`);
  for (const [type, words] of [
    ['tokens', 'Tokens'],
    ['storage', 'Storage'],
    ['ocr', 'OCR pages'],
  ] as const) {
    chart.setAttribute('resource-type', type);
    await waitUntil(() => shown() === words, `the unit of ${type}`);
    await settled(chart);
    expect(await heard()).to.equal(`${title} ${words}`);
    expect(part('unit').hasAttribute('title')).to.equal(false);
  }
  chart.removeAttribute('resource-type');
  await waitUntil(() => shown() === 'Tokens only', 'every type again');
}
