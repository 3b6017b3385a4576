/**
 * What every framework example must show (issue 7): attributes, properties (`filters`,
 * `requestOptions`) and events (`usage-filters-change`, `usage-user-select`) cross the
 * framework boundary. Each host's test runs these against its built bundle, with the
 * reference server's in-memory handler behind a `fetch` that records every request.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { RequestOptions } from '../../src/api/client.js';
import type { UsageFilterState } from '../../src/filters/state.js';
import { createDemoHandler } from '../../server/index.js';

/** The props every example host takes. */
export interface HostProps {
  endpoint: string;
  requestOptions: RequestOptions;
  initialFilters?: Partial<UsageFilterState>;
  range?: string;
}

/** Mounts a host into a container; returns its unmount. */
export type MountHost = (container: HTMLElement, props: HostProps) => (() => void) | Promise<() => void>;

const demo = createDemoHandler({ events: 3_000 });
const HOUR = 3_600_000;

interface Mounted {
  container: HTMLElement;
  requests: URL[];
  /** The requests for a page of events. */
  eventPages: () => URL[];
  unmount: () => void;
}

async function mount(mountHost: MountHost, props: Partial<HostProps> = {}): Promise<Mounted> {
  await demo.ready;
  const requests: URL[] = [];
  const recordingFetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(new URL(input instanceof Request ? input.url : String(input), location.href));
    return demo.fetch(input, init);
  }) as typeof fetch;
  const container = document.createElement('div');
  document.body.append(container);
  const unmount = await mountHost(container, {
    endpoint: '/api',
    requestOptions: { fetch: recordingFetch, headers: demo.requestOptions.headers },
    ...props,
  });
  return {
    container,
    requests,
    eventPages: () => requests.filter((url) => url.pathname === '/api/events'),
    unmount: () => {
      unmount();
      container.remove();
    },
  };
}

function shadow(root: ParentNode, selector: string): HTMLElement {
  const host = root.querySelector(selector);
  if (!host?.shadowRoot) throw new Error(`${selector} is not rendered`);
  return host.shadowRoot as unknown as HTMLElement;
}

function hostText(container: HTMLElement, name: string): string | undefined {
  return container.querySelector(`[data-host="${name}"]`)?.textContent?.trim();
}

/** The first user button of the loaded table. */
async function firstUserButton(container: HTMLElement): Promise<HTMLElement> {
  let button: HTMLElement | null = null;
  await waitUntil(() => {
    button = container.querySelector('consumption-events-table')?.shadowRoot?.querySelector<HTMLElement>('[role="row"] .link[data-nav="userId"]') ?? null;
    return button !== null;
  }, 'the table shows no user', { timeout: 8_000 });
  return button!;
}

/** Imports a host's built bundle (`node examples/build.mjs`, run by `npm run test:browser`). */
export async function importBuilt<T>(url: URL): Promise<T> {
  try {
    return (await import(url.href)) as T;
  } catch (cause) {
    throw new Error(`${url.pathname} is not built: run \`node examples/build.mjs\` (${String(cause)})`);
  }
}

/** Registers the boundary tests for one framework host. */
export function describeHost(framework: string, loadMount: () => Promise<MountHost>): void {
  describe(`${framework} host`, () => {
    let mountHost: MountHost;
    let mounted: Mounted | undefined;
    before(async () => {
      mountHost = await loadMount();
    });
    afterEach(() => {
      mounted?.unmount();
      mounted = undefined;
    });

    it('passes attributes to the elements (range on usage-filters, page-size on the table)', async () => {
      mounted = await mount(mountHost, { range: '30d' });
      await waitUntil(() => mounted!.eventPages().length > 0, 'no events request', { timeout: 8_000 });
      const page = mounted.eventPages()[0]!;
      const span = Date.parse(page.searchParams.get('to')!) - Date.parse(page.searchParams.get('from')!);
      expect(span).to.equal(720 * HOUR);
      expect(page.searchParams.get('pageSize')).to.equal('10');
    });

    it('passes the filters and requestOptions properties to the elements', async () => {
      mounted = await mount(mountHost, { range: '30d', initialFilters: { resourceType: 'tokens', poolCategories: ['allocated', 'hybrid'] } });
      // Every request goes through the fetch the framework passed as a property (as an
      // attribute it would be "[object Object]" and the requests would miss the handler).
      await waitUntil(() => mounted!.eventPages().length > 0, 'no events request went through requestOptions.fetch', { timeout: 8_000 });
      const page = mounted.eventPages()[0]!;
      expect(page.searchParams.get('resourceType')).to.equal('tokens');
      expect(page.searchParams.getAll('poolCategory')).to.deep.equal(['allocated', 'hybrid']);
      // `filters` replaces the whole state: its range (the default, 7 days) beats the attribute.
      const span = Date.parse(page.searchParams.get('to')!) - Date.parse(page.searchParams.get('from')!);
      expect(span).to.equal(168 * HOUR);
    });

    it("delivers a person's change as usage-filters-change, and mirroring the state back fires nothing", async () => {
      mounted = await mount(mountHost);
      const { container } = mounted;
      await firstUserButton(container);
      expect(hostText(container, 'resource-type')).to.equal('all');
      const storage = [...shadow(container, 'usage-filter-bar').querySelectorAll<HTMLInputElement>('input[name="resource-type"]')].find(
        (input) => input.value === 'storage',
      );
      if (!storage) throw new Error('the filter bar offers no Storage choice');
      storage.click();
      await waitUntil(() => hostText(container, 'resource-type') === 'storage', 'the framework did not see the change', { timeout: 5_000 });
      await waitUntil(() => mounted!.eventPages().some((url) => url.searchParams.get('resourceType') === 'storage'), 'the table did not follow', {
        timeout: 5_000,
      });
      // The framework wrote the state back through `filters`: no second event, no loop.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(hostText(container, 'changes')).to.equal('1');
    });

    it('delivers usage-user-select; the framework prevents it and routes itself', async () => {
      mounted = await mount(mountHost);
      const { container } = mounted;
      const button = await firstUserButton(container);
      const userId = button.textContent!.trim();
      const before = mounted.requests.length;
      button.click();
      await waitUntil(() => hostText(container, 'user') === userId, 'the framework did not receive the user', { timeout: 5_000 });
      // Prevented: the table did not narrow to that user.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(mounted.requests.slice(before).filter((url) => url.searchParams.has('userId'))).to.deep.equal([]);
      expect(hostText(container, 'changes')).to.equal('0');
    });
  });
}
