// A piece whose module loads before its <usage-filters>' (per-tag entries loaded lazily):
// it waits for the holder instead of asking alone, without a data endpoint. This file
// imports no holder until the test does.
import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { createDemoHandler } from '../../server/index.js';
import '../consumption-events-table/consumption-events-table.js';

describe('a piece defined before its <usage-filters>', () => {
  it("waits for the holder: one request, with the holder's endpoint and state, and no usage-error", async () => {
    expect(customElements.get('usage-filters'), 'no holder defined yet').to.equal(undefined);
    const server = createDemoHandler({ events: 4_000 });
    await server.ready;
    const asked: URL[] = [];
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      asked.push(new URL(input instanceof Request ? input.url : String(input), location.href));
      return server.fetch(input, init);
    }) as typeof globalThis.fetch;
    const errors: string[] = [];
    const onError = (event: Event) => errors.push(JSON.stringify((event as CustomEvent).detail));
    document.addEventListener('usage-error', onError);
    const holder = document.createElement('usage-filters') as HTMLElement & { requestOptions?: unknown };
    holder.setAttribute('data-endpoint', '/api');
    holder.setAttribute('resource-type', 'tokens');
    // Set before the upgrade: the element takes it over when it is defined.
    holder.requestOptions = { headers: server.requestOptions.headers, fetch };
    holder.innerHTML = '<consumption-events-table></consumption-events-table>';
    document.body.append(holder);
    try {
      await aTimeout(300);
      expect(asked, 'nothing asked before the holder is defined').to.have.length(0);
      expect(errors).to.deep.equal([]);
      await import('../usage-filters/usage-filters.js');
      const table = holder.querySelector('consumption-events-table')!;
      // Tokens over the last 7 days: the seed always has some.
      await waitUntil(() => table.shadowRoot?.querySelector('[part~="row"]'), 'the rows come', { timeout: 8_000 });
      const events = asked.filter((url) => url.pathname === '/api/events');
      expect(events, 'one request').to.have.length(1);
      expect(events[0]!.searchParams.get('resourceType')).to.equal('tokens');
      expect(errors).to.deep.equal([]);
    } finally {
      document.removeEventListener('usage-error', onError);
      holder.remove();
    }
  });
});
