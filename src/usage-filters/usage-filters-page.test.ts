import { expect, waitUntil } from '@open-wc/testing';
import type { UsageFilters } from './usage-filters.component.js';

// In a file of its own: the frame's page is a second page of the dev server's (its own
// module graph and web socket), kept apart from the holder's other tests.
describe('<usage-filters sync-url> on a plain page', () => {
  it("keeps the URL over the filters a plain page's own script sets while the page loads", async function () {
    this.timeout(20_000);
    const frame = document.createElement('iframe');
    frame.src = new URL('./test-initial-page.html?tab=1&ud.range=24h&ud.type=tokens', import.meta.url).href;
    document.body.append(frame);
    try {
      type Page = Window & { loaded?: Promise<unknown> };
      await waitUntil(() => (frame.contentWindow as Page | null)?.loaded, 'the page runs its scripts', { timeout: 15_000 });
      await (frame.contentWindow as Page).loaded;
      const holder = frame.contentDocument!.querySelector('usage-filters') as UsageFilters;
      // defaults ← attributes ← `filters` (and the script's attribute) ← the URL.
      expect(holder.filters.range).to.deep.equal({ preset: '24h' });
      expect(holder.filters.resourceType).to.equal('tokens');
      expect(holder.filters.ioTypes).to.deep.equal(['input']);
      expect(holder.filters.endpoints).to.deep.equal(['/v1/from-script']);
      const search = new URL(frame.contentWindow!.location.href).searchParams;
      expect(search.get('tab')).to.equal('1');
      expect(search.get('ud.range')).to.equal('24h');
      expect(search.get('ud.type')).to.equal('tokens');
      // Once the page has loaded, the host's last write wins again.
      holder.filters = { userIds: ['later'] };
      expect(holder.filters.range).to.deep.equal({ preset: '7d' });
      expect(holder.filters.resourceType).to.equal(null);
    } finally {
      frame.remove();
    }
  });
});
