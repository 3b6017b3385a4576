import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import { UsageApiError } from '../api/client.js';
import { DEFAULT_FILTER_STATE } from '../filters/state.js';
import type { UsageFilters } from '../usage-filters/usage-filters.component.js';
import '../usage-filters/usage-filters.js';
import { recordUsageEvents, type TestUsagePiece } from './test-piece.js';
import { THEME_TOKENS } from './theme.js';

const { errors, changes } = recordUsageEvents();

describe('UsageElement alone', () => {
  it('holds its own state from its own attributes and settings', async () => {
    const piece = await fixture<TestUsagePiece>(
      html`<test-usage-piece range="this-month" time-zone="Asia/Tokyo" resource-type="ocr" data-endpoint="/x"></test-usage-piece>`,
    );
    expect(piece.filterSource).to.equal('own');
    expect(piece.view.state).to.deep.equal({ ...DEFAULT_FILTER_STATE, range: { preset: 'this-month' }, resourceType: 'ocr' });
    expect(piece.view.settings).to.include({ endpoint: '/x', timeZone: 'Asia/Tokyo' });
    // A piece alone is its own holder: its zone resolves the preset (Tokyo is UTC+9).
    expect(new Date(piece.view.from).getUTCHours()).to.equal(15);
  });

  it('announces a person update itself, and not host writes', async () => {
    const piece = await fixture<TestUsagePiece>(html`<test-usage-piece></test-usage-piece>`);
    piece.setAttribute('user-ids', 'a,b');
    await piece.updateComplete;
    expect(piece.view.state.userIds).to.deep.equal(['a', 'b']);
    expect(changes).to.have.length(0);
    piece.act({ userIds: ['c'] });
    expect(changes).to.have.length(1);
    expect(changes[0]!.target).to.equal(piece);
    expect(changes[0]!.detail.state.userIds).to.deep.equal(['c']);
    await piece.updateComplete;
    expect(piece.filters.userIds).to.deep.equal(['c']);
  });

  it('takes a host attribute write after an assigned state: the last write wins', async () => {
    const piece = await fixture<TestUsagePiece>(html`<test-usage-piece resource-type="tokens"></test-usage-piece>`);
    piece.filters = { resourceType: 'ocr', userIds: ['a'] };
    await piece.updateComplete;
    expect(piece.filters).to.include({ resourceType: 'ocr' });
    piece.setAttribute('resource-type', 'storage');
    piece.setAttribute('io-types', 'input');
    await piece.updateComplete;
    expect(piece.filters).to.deep.equal({ ...DEFAULT_FILTER_STATE, resourceType: 'storage', userIds: ['a'], ioTypes: ['input'] });
    expect(changes).to.have.length(0);
  });

  it('reports an own amount that cannot apply under the attribute that sets it, keeping the field', async () => {
    const lone = await fixture<TestUsagePiece>(html`<test-usage-piece resource-type="tokens" amount-min="20" amount-max="10"></test-usage-piece>`);
    await lone.updateComplete;
    // As <usage-filters> does: the fields apply in order, and amount-max is the one refused.
    expect(errors.map((e) => e.detail.param)).to.deep.equal(['amount-max']);
    expect(lone.filters).to.include({ amountMin: 20, amountMax: null });
    errors.length = 0;
    const piece = await fixture<TestUsagePiece>(html`<test-usage-piece resource-type="tokens" amount-max="10"></test-usage-piece>`);
    piece.setAttribute('amount-min', '20');
    await piece.updateComplete;
    await aTimeout(0);
    expect(errors.map((e) => e.detail.param)).to.deep.equal(['amount-min']);
    expect(errors[0]!.detail.code).to.equal('bad_parameter');
    expect(piece.filters).to.include({ amountMin: null, amountMax: 10 });
  });

  it('takes an own amount written before its resource type, alone', async () => {
    const piece = await fixture<TestUsagePiece>(html`<test-usage-piece></test-usage-piece>`);
    piece.setAttribute('amount-min', '5');
    piece.setAttribute('resource-type', 'tokens');
    await piece.updateComplete;
    await aTimeout(0);
    expect(errors).to.have.length(0);
    expect(piece.filters).to.include({ resourceType: 'tokens', amountMin: 5 });
  });

  it('reports an own amount without a resource type, alone', async () => {
    const lone = await fixture<TestUsagePiece>(html`<test-usage-piece amount-max="10"></test-usage-piece>`);
    await lone.updateComplete;
    expect(errors.map((e) => e.detail.param)).to.deep.equal(['amount-max']);
    expect(lone.filters).to.include({ resourceType: null, amountMax: null });
  });

  it('does not report a nested own amount that the holder state outvotes for now', async () => {
    const holder = await fixture<UsageFilters>(
      html`<usage-filters resource-type="tokens" amount-max="10"><test-usage-piece amount-min="20"></test-usage-piece></usage-filters>`,
    );
    const piece = holder.querySelector('test-usage-piece')!;
    await piece.updateComplete;
    await aTimeout(0);
    expect(errors).to.have.length(0);
    expect(piece.filters).to.include({ amountMin: null, amountMax: 10 });
    holder.filters = { resourceType: 'tokens' };
    await piece.updateComplete;
    expect(piece.filters).to.include({ resourceType: 'tokens', amountMin: 20 });
  });

  it('reports a bad attribute and keeps the field', async () => {
    const piece = await fixture<TestUsagePiece>(html`<test-usage-piece io-types="input"></test-usage-piece>`);
    piece.setAttribute('io-types', 'input,upload');
    await piece.updateComplete;
    expect(errors.map((e) => e.detail.param)).to.deep.equal(['io-types']);
    expect(piece.view.state.ioTypes).to.deep.equal(['input']);
  });
});

describe('UsageElement filters property', () => {
  it('makes a nested piece hold the assigned state apart from its holder, and null returns it', async () => {
    const holder = await fixture(html`<usage-filters range="30d"><test-usage-piece></test-usage-piece></usage-filters>`);
    const piece = holder.querySelector('test-usage-piece')!;
    piece.filters = { resourceType: 'storage' };
    await piece.updateComplete;
    expect(piece.filterSource).to.equal('own');
    expect(piece.view.state).to.deep.equal({ ...DEFAULT_FILTER_STATE, resourceType: 'storage' });
    piece.act({ ioTypes: ['output'] });
    expect(changes.map((e) => e.target)).to.deep.equal([piece]);
    piece.filters = null;
    await piece.updateComplete;
    expect(piece.filterSource).to.equal('context');
    expect(piece.view.state.range).to.deep.equal({ preset: '30d' });
    expect(piece.view.state.ioTypes).to.deep.equal([]);
  });

  it('keeps the holder settings for a piece given its own state, inside a holder or a group', async () => {
    const requestOptions = { credentials: 'include' as const };
    const holder = await fixture<UsageFilters>(
      html`<usage-filters data-endpoint="/api" locale="de-DE" time-zone="Asia/Tokyo" theme="dark" .requestOptions=${requestOptions}>
        <test-usage-piece locale="fr-FR"></test-usage-piece>
      </usage-filters>`,
    );
    const piece = holder.querySelector('test-usage-piece')!;
    piece.filters = { resourceType: 'ocr', range: { preset: 'this-month' } };
    await piece.updateComplete;
    expect(piece.filterSource).to.equal('own');
    expect(piece.view.settings).to.deep.include({ endpoint: '/api', locale: 'fr-FR', timeZone: 'Asia/Tokyo', theme: 'dark', requestOptions });
    // Its own state's preset resolves in the zone it shows (Tokyo, UTC+9).
    expect(new Date(piece.view.from).getUTCHours()).to.equal(15);
    holder.setAttribute('data-endpoint', '/other');
    await holder.updateComplete;
    await piece.updateComplete;
    expect(piece.view.settings.endpoint).to.equal('/other');

    const grouped = await fixture<UsageFilters>(
      html`<div>
        <usage-filters filter-group="settings-test" data-endpoint="/grouped" theme="dark"></usage-filters>
        <test-usage-piece filter-group="settings-test"></test-usage-piece>
      </div>`,
    );
    const member = grouped.querySelector('test-usage-piece')!;
    member.filters = { resourceType: 'storage' };
    await member.updateComplete;
    expect(member.view.state.resourceType).to.equal('storage');
    expect(member.view.settings).to.include({ endpoint: '/grouped', theme: 'dark' });
  });

  it('reports a bad assigned state naming filters', async () => {
    const piece = await fixture<TestUsagePiece>(html`<test-usage-piece></test-usage-piece>`);
    piece.filters = { amountMin: 3 };
    expect(errors.map((e) => e.detail.param)).to.deep.equal(['filters']);
    expect(piece.filters.amountMin).to.equal(null);
  });
});

describe('UsageElement filterView', () => {
  it('keeps its identity until something in it changes', async () => {
    const holder = await fixture(html`<usage-filters><test-usage-piece></test-usage-piece></usage-filters>`);
    const piece = holder.querySelector('test-usage-piece')!;
    await piece.updateComplete;
    const first = piece.view;
    piece.loading = true;
    await piece.updateComplete;
    holder.setAttribute('data-endpoint', '/api');
    await (holder as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    await piece.updateComplete;
    const second = piece.view;
    expect(second).not.to.equal(first);
    expect(second.settings.endpoint).to.equal('/api');
    holder.setAttribute('resource-type', 'tokens');
    holder.setAttribute('resource-type', 'ocr');
    holder.setAttribute('resource-type', 'tokens');
    piece.requestUpdate();
    await piece.updateComplete;
    expect(piece.view.state.resourceType).to.equal('tokens');
    holder.setAttribute('resource-type', 'tokens');
    await piece.updateComplete;
    expect(piece.views.filter((v) => v.state.resourceType === 'tokens')).to.have.length(1);
  });

  it('is current right after a person update, before the next render', async () => {
    const holder = await fixture(html`<usage-filters><test-usage-piece></test-usage-piece></usage-filters>`);
    const piece = holder.querySelector('test-usage-piece')!;
    piece.act({ poolCategories: ['surplus'] });
    expect(piece.view.state.poolCategories).to.deep.equal(['surplus']);
    piece.act({ poolCategories: [...piece.view.state.poolCategories, 'hybrid'] });
    expect(piece.view.state.poolCategories).to.deep.equal(['surplus', 'hybrid']);
    piece.setAttribute('io-types', 'input');
    expect(piece.view.state.ioTypes).to.deep.equal(['input']);
  });

  for (const preset of ['24h', '30d', 'this-month'] as const) {
    it(`resolves its own ${preset} at the holder's clock, to now, under a holder's last month too`, async () => {
      const holder = await fixture(html`<usage-filters time-zone="UTC">
        <test-usage-piece range=${preset}></test-usage-piece>
      </usage-filters>`);
      const piece = holder.querySelector('test-usage-piece')!;
      await piece.updateComplete;
      const { to } = piece.view;
      // Under a rolling holder range, the very same `to` (one request, shared).
      expect(to).to.equal((holder as UsageFilters).contextValue.to);
      const floored = Math.floor(Date.now() / 60_000) * 60_000;
      expect(Date.parse(to) - floored).to.be.within(0, 60_000);
      // Under last month, whose `to` is this month's start, the piece's range still ends now
      // (it ended at this month's start: 24 hours read November 30th on December 7th).
      holder.setAttribute('range', 'last-month');
      await piece.updateComplete;
      expect(Date.parse(piece.view.to) - Math.floor(Date.now() / 60_000) * 60_000).to.be.within(0, 60_000);
      expect(piece.view.state.range).to.deep.equal({ preset });
    });
  }

  it('lets the piece own setting win over the holder, field by field', async () => {
    const holder = await fixture(html`<usage-filters data-endpoint="/api" locale="en-US" theme="dark">
      <test-usage-piece data-endpoint="/other" time-zone="UTC"></test-usage-piece>
    </usage-filters>`);
    const piece = holder.querySelector('test-usage-piece')!;
    await piece.updateComplete;
    expect(piece.view.settings).to.include({ endpoint: '/other', locale: 'en-US', timeZone: 'UTC', theme: 'dark' });
  });

  it('takes live from the holder unless the piece says live or live="false"', async () => {
    const holder = await fixture(html`<usage-filters live>
      <test-usage-piece id="inherits"></test-usage-piece>
      <test-usage-piece id="off" live="false"></test-usage-piece>
    </usage-filters>`);
    const inherits = holder.querySelector<TestUsagePiece>('#inherits')!;
    const off = holder.querySelector<TestUsagePiece>('#off')!;
    await off.updateComplete;
    expect(inherits.view.settings.live).to.equal(true);
    expect(off.view.settings.live).to.equal(false);
    off.setAttribute('live', '');
    await off.updateComplete;
    expect(off.view.settings.live).to.equal(true);
    const alone = await fixture<TestUsagePiece>(html`<test-usage-piece live></test-usage-piece>`);
    expect(alone.view.settings.live).to.equal(true);
    // The property given a string, as React 19 gives live="": read as the attribute would be.
    for (const [value, live] of [['', true], ['false', false], [false, false], [true, true]] as const) {
      off.live = value as boolean;
      await off.updateComplete;
      expect(off.view.settings.live, JSON.stringify(value)).to.equal(live);
    }
  });
});

describe('UsageElement states', () => {
  it('reflects loading and error, and sets aria-busy while loading', async () => {
    const piece = await fixture<TestUsagePiece>(html`<test-usage-piece></test-usage-piece>`);
    piece.loading = true;
    await piece.updateComplete;
    expect(piece.hasAttribute('loading')).to.equal(true);
    expect(piece.getAttribute('aria-busy')).to.equal('true');
    piece.loading = false;
    piece.error = true;
    await piece.updateComplete;
    expect(piece.hasAttribute('loading')).to.equal(false);
    expect(piece.hasAttribute('aria-busy')).to.equal(false);
    expect(piece.hasAttribute('error')).to.equal(true);
  });

  it('reports request errors as usage-error with their details, but not aborts', async () => {
    const piece = await fixture<TestUsagePiece>(html`<test-usage-piece></test-usage-piece>`);
    piece.fail(new UsageApiError('bad_parameter', 'amountMin needs resourceType', { status: 400, param: 'amountMin', url: '/api/events' }));
    piece.fail(new DOMException('stopped', 'AbortError'));
    expect(errors).to.have.length(1);
    expect(errors[0]!.detail).to.deep.include({
      code: 'bad_parameter',
      message: 'amountMin needs resourceType',
      status: 400,
      param: 'amountMin',
      url: '/api/events',
    });
  });

  it('takes the holder theme, shown as a custom state, with the dark tokens', async () => {
    const holder = await fixture(html`<usage-filters theme="dark"><test-usage-piece></test-usage-piece></usage-filters>`);
    const piece = holder.querySelector('test-usage-piece')!;
    await piece.updateComplete;
    expect(piece.matches(':state(dark)')).to.equal(true);
    // The test piece has no styles of its own: the theme styles apply through a styled piece (theme.test.ts).
    holder.setAttribute('theme', 'light');
    await (holder as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    await piece.updateComplete;
    expect(piece.matches(':state(dark)')).to.equal(false);
    expect(THEME_TOKENS.dark['--usage-color-surface']).to.not.equal(THEME_TOKENS.light['--usage-color-surface']);
  });
});
