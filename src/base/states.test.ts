import { expect, html, waitUntil } from '@open-wc/testing';
import { nothing, render } from 'lit';
import { mount, unmountAll } from './test-piece.js';
import { normalizeFilterState } from '../filters/state.js';
import { describeActiveFilters, renderEmpty, renderError, renderLoadingFrame } from './states.js';
import { RETRY_BY_ITSELF } from './retry-hold.js';

afterEach(unmountAll);

describe('shared states', () => {
  it('shows an alert naming what failed, with the endpoint message and a Retry button that calls back', async () => {
    let retried = 0;
    const el = mount(renderError({ message: 'amountMin needs resourceType' }, () => retried++, 'Consumption events'));
    const alert = el.querySelector('[role="alert"]')!;
    // Read as "Consumption events: amountMin needs resourceType Retry" (the name for screen readers only).
    expect(alert.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Consumption events: amountMin needs resourceType Retry');
    expect(alert.querySelector('.sr-only')!.textContent).to.equal('Consumption events:');
    const button = alert.querySelector('button')!;
    expect(button.textContent!.trim()).to.equal('Retry');
    button.click();
    expect(retried).to.equal(1);
    await expect(el).to.be.accessible();
  });

  it('says when to try again for an error whose wait is longer than the client waits (a minute), holds Retry until then (aria-disabled, keeping the focus), then lets it go by itself', async () => {
    let retried = 0;
    const error = { message: 'Too many requests.', retryAfterMs: 60_400 };
    const realNow = Date.now;
    // The clock moved to an instant relative to the one the error was first shown at.
    const shown = realNow();
    const at = (delta: number) => {
      const offset = shown + 60_400 + delta - realNow();
      Date.now = () => realNow() + offset;
    };
    try {
      const el = mount(renderError(error, () => retried++, 'Consumption events', { locale: 'en-US' }));
      const alert = el.querySelector('[role="alert"]')!;
      expect(alert.textContent!.replace(/\s+/g, ' ')).to.match(/Too many requests\. Try again at \w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d [AP]M\./);
      const button = alert.querySelector('button')!;
      expect(button.getAttribute('aria-disabled')).to.equal('true');
      button.click();
      expect(retried, 'held: an early press asks nothing').to.equal(0);
      await expect(el).to.be.accessible();
      // Nearly a minute later, rendered again: the same instant, a second away, and then let go by itself.
      at(-1_000);
      const later = mount(renderError(error, () => retried++, 'Consumption events', { locale: 'en-US' }));
      const held = later.querySelector('button')!;
      expect(held.getAttribute('aria-disabled')).to.equal('true');
      await waitUntil(() => !held.hasAttribute('aria-disabled'), 'Retry is let go by itself', { timeout: 4_000 });
      held.click();
      expect(retried).to.equal(1);
      // Rendered again after it, the same error keeps its instant (it does not start waiting anew), and says no past time.
      at(1_000);
      const again = mount(renderError(error, () => retried++, 'Consumption events'));
      expect(again.querySelector('button')!.hasAttribute('aria-disabled')).to.equal(false);
      expect(again.textContent).not.to.contain('Try again at');
    } finally {
      Date.now = realNow;
    }
  });

  it('retries by itself a failure that may pass (network, server): when the browser is back online, else after a while', async () => {
    const { minMs } = RETRY_BY_ITSELF;
    RETRY_BY_ITSELF.minMs = 50;
    try {
      let retried = 0;
      const network = mount(renderError({ message: 'The data endpoint could not be reached.', code: 'network' }, () => retried++, 'Consumption events'));
      expect(network.textContent!.replace(/\s+/g, ' ')).to.contain('The data endpoint could not be reached. Retrying by itself.');
      await waitUntil(() => retried === 1, 'pressed by itself after a while');
      await new Promise((go) => setTimeout(go, 150));
      expect(retried, 'once for one error').to.equal(1);
      // Back online: at once, without waiting for the timer.
      RETRY_BY_ITSELF.minMs = 60_000;
      let again = 0;
      mount(renderError({ message: 'Service unavailable.', status: 503 }, () => again++, 'Surplus pool'));
      window.dispatchEvent(new Event('online'));
      expect(again).to.equal(1);
      // One a person must act on (a bad request, a refused token) is left to them.
      let refused = 0;
      const bad = mount(renderError({ message: 'Unauthorized.', status: 401, code: 'unauthorized' }, () => refused++, 'Consumption events'));
      expect(bad.textContent).not.to.contain('Retrying by itself');
      window.dispatchEvent(new Event('online'));
      expect(refused).to.equal(0);
    } finally {
      RETRY_BY_ITSELF.minMs = minMs;
    }
  });

  it('says a failure once: the next after Retry pressed itself is shown in a status, one after a person pressed it in an alert', async () => {
    const { minMs } = RETRY_BY_ITSELF;
    RETRY_BY_ITSELF.minMs = 50;
    const container = document.body.appendChild(document.createElement('div'));
    const host = {};
    const network = { message: 'The data endpoint could not be reached.', code: 'network' };
    // As a piece does: loading between two answers, so each error is drawn anew; the next
    // automatic press far off, so that the person presses first.
    const show = () => {
      render(nothing, container, { host });
      render(renderError(network, () => ((RETRY_BY_ITSELF.minMs = 60_000), setTimeout(show)), 'Surplus pool'), container, { host });
    };
    const role = () => container.querySelector('[part="error"]')!.getAttribute('role');
    try {
      show();
      expect(role()).to.equal('alert');
      const first = container.querySelector('[part="error"]');
      await waitUntil(() => container.querySelector('[part="error"]') !== first, 'pressed by itself, failed again');
      expect(role(), 'pressed by itself: shown').to.equal('status');
      expect(container.textContent!.replace(/\s+/g, ' ')).to.contain('could not be reached. Retrying by itself.');
      const second = container.querySelector('[part="error"]');
      container.querySelector('button')!.click();
      await waitUntil(() => container.querySelector('[part="error"]') !== second, 'pressed by a person, failed again');
      expect(role(), 'pressed by a person: said').to.equal('alert');
    } finally {
      RETRY_BY_ITSELF.minMs = minMs;
      container.remove();
    }
  });

  it('says no time and holds nothing for a wait the client already waited out (a Retry-After of a minute or less)', () => {
    const el = mount(renderError({ message: 'Too many requests.', retryAfterMs: 1_000 }, () => {}, 'Consumption events'));
    expect(el.textContent).not.to.contain('Try again at');
    expect(el.querySelector('button')!.hasAttribute('aria-disabled')).to.equal(false);
  });

  it("writes the time to try again at in the piece's time zone", () => {
    const error = { message: 'Too many requests.', retryAfterMs: 3 * 3_600_000 };
    const text = (timeZone: string) => mount(renderError(error, () => {}, 'Consumption events', { locale: 'en-US', timeZone })).textContent!.replace(/\s+/g, ' ');
    // The first render fixes the instant: it lies between these two (a second may turn between them).
    const before = Date.now();
    text('UTC');
    const after = Date.now();
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const written = [before, after].map((t) => `Try again at ${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium', timeZone }).format(t + error.retryAfterMs)}.`);
      const shown = text(timeZone);
      expect(written.some((w) => shown.includes(w)), `${shown} says none of ${written.join(' / ')}`).to.equal(true);
    }
  });

  it('keeps the old content in view, dimmed, under a progress indicator while loading', async () => {
    const el = mount(renderLoadingFrame(true, html`<p>old rows</p>`));
    expect(el.querySelector('[role="progressbar"]')).not.to.equal(null);
    expect(el.querySelector('p')!.textContent).to.equal('old rows');
    expect(el.querySelector('[data-loading]')).not.to.equal(null);
    const idle = mount(renderLoadingFrame(false, html`<p>rows</p>`));
    expect(idle.querySelector('[role="progressbar"]')).to.equal(null);
  });

  it('names the active filters in the empty state, as the piece honours them', async () => {
    const state = normalizeFilterState({
      resourceType: 'storage',
      userIds: ['u1', 'u2', 'u3', 'u4'],
      poolCategories: ['surplus'],
      amountMin: 1_500_000,
      requestId: 'r-9',
    });
    expect(describeActiveFilters(state, 'consumption', { locale: 'en-US' })).to.equal(
      'resource type storage, users u1, u2, u3 and 1 more, pool surplus, amount at least 1.5 MB, in the last 7 days',
    );
    expect(describeActiveFilters(state, 'surplus')).to.equal('resource type storage, in the last 7 days');
    // An acronym stays one: not "resource type ocr".
    expect(describeActiveFilters({ ...state, resourceType: 'ocr' }, 'surplus')).to.equal('resource type OCR, in the last 7 days');
    expect(describeActiveFilters(state, 'table')).to.contain('request ID r-9, at any date');
    // With what to try: a filter less, or a longer range when the range is all there is.
    const el = mount(renderEmpty(normalizeFilterState({ ioTypes: ['input'] })));
    expect(el.textContent!.trim()).to.equal('No events match I/O type input, in the last 7 days. Remove a filter or widen the date range.');
    const bare = mount(renderEmpty(normalizeFilterState({ range: { preset: '24h' } })));
    expect(bare.textContent!.trim()).to.equal('No events in the last 24 hours. Try a longer date range.');
    const lookup = mount(renderEmpty(normalizeFilterState({ requestId: 'r-9' })));
    expect(lookup.textContent!.trim()).to.equal('No events match request ID r-9, at any date.');
    // A custom range reads as dates in the piece's locale and zone, not as ISO instants.
    const custom = normalizeFilterState({ range: { from: '2020-01-01T00:00:00.000Z', to: '2020-01-08T00:00:00.000Z' } });
    expect(describeActiveFilters(custom, 'table', { locale: 'en-US', timeZone: 'UTC' })).to.equal('in Jan 1\u202f– 7, 2020');
  });
});
