/**
 * The users picker: type-ahead over the `users` route (debounced, stale look-ups aborted),
 * the ARIA combobox keyboard, chips, and the virtualized list with 50,000 users held by the
 * in-memory store (users put into the store, so every page goes through the real route).
 */
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { UsageErrorEvent } from '../events/index.js';
import type { UsageFilters } from '../usage-filters/usage-filters.component.js';
import '../usage-filters/usage-filters.js';
import type { UsageFilterBar } from './usage-filter-bar.component.js';
import './usage-filter-bar.js';
import {
  EXTRA_USERS,
  demoServer,
  ignoreResizeObserverLoop,
  largeDemoServer,
  loadedOptions,
  options,
  part,
  recorder,
  typeInto,
  type Recorder,
} from './test-fixture.js';
import type { DemoServer } from '../../server/index.js';
import { emulateForcedColors, fills } from '../base/test-forced-colors.js';
import { drawnToken } from '../base/theme.js';

before(() => ignoreResizeObserverLoop());

/** Opens the users list from the keyboard (focus, ArrowDown) and waits for its options. */
async function openList(bar: UsageFilterBar, input: HTMLInputElement): Promise<HTMLElement[]> {
  input.focus();
  await sendKeys({ press: 'ArrowDown' });
  return loadedOptions(bar, 'users');
}

async function picker(server: DemoServer = demoServer()): Promise<{ holder: UsageFilters; bar: UsageFilterBar; rec: Recorder; input: HTMLInputElement }> {
  await server.ready;
  const rec = recorder(server);
  const holder = await fixture<UsageFilters>(html`<usage-filters data-endpoint="/api" locale="en-US" .requestOptions=${rec.requestOptions}>
    <usage-filter-bar></usage-filter-bar>
  </usage-filters>`);
  const bar = holder.querySelector('usage-filter-bar')!;
  await bar.updateComplete;
  return { holder, bar, rec, input: part<HTMLInputElement>(bar, '#users-input') };
}

async function usersTotal(rec: Recorder): Promise<number> {
  const answer = await rec.requestOptions.fetch('/api/users?limit=1', { headers: rec.requestOptions.headers });
  return ((await answer.json()) as { total: number }).total;
}

function status(bar: UsageFilterBar): string {
  return part(bar, '#users-status').textContent!.trim();
}

function activeOption(bar: UsageFilterBar, input: HTMLInputElement): HTMLElement | null {
  const id = input.getAttribute('aria-activedescendant');
  return id ? bar.shadowRoot!.getElementById(id) : null;
}

describe('users picker: type-ahead', () => {
  it('waits for a pause in typing and sends one look-up for the whole text', async () => {
    const { bar, rec, input } = await picker();
    // Four keystrokes 40 ms apart, inside the 150 ms pause the picker waits for (typed by
    // the page, not the test driver, whose keys can lag past it on a loaded machine).
    for (const text of ['a', 'an', 'and', 'ande']) {
      typeInto(input, text);
      await aTimeout(40);
    }
    await waitUntil(() => rec.to('users').length > 0);
    await aTimeout(300);
    expect(rec.to('users').map((r) => r.params.get('q'))).to.deep.equal(['ande']);
    const shown = await loadedOptions(bar, 'users');
    for (const option of shown) expect(option.textContent!.toLowerCase()).to.contain('ande');
    expect(status(bar)).to.match(/^\d+ users? match “ande”/);
    expect(shown[0]!.querySelector('.option-detail')!.textContent, 'shows the ID and the email').to.match(/^u_\w+ · .+@northwind\.example$/);
  });

  it('sizes the list to its options, up to 7 rows (not the virtualizer default of 150px)', async () => {
    const { bar, input } = await picker();
    const rowsShown = async (query: string): Promise<{ rows: number; matches: number }> => {
      typeInto(input, query);
      await waitUntil(() => status(bar).includes(`“${query}”`), `no answer for ${query}`);
      const [first] = await loadedOptions(bar, 'users');
      await bar.updateComplete;
      const rows = part(bar, '#users-listbox').getBoundingClientRect().height / first!.getBoundingClientRect().height;
      return { rows, matches: Number(/^[\d,]+/.exec(status(bar))![0].replace(/,/g, '')) };
    };
    const many = await rowsShown('a');
    expect(many.matches).to.be.above(7);
    expect(many.rows).to.be.closeTo(7, 0.05);
    const few = await rowsShown((await loadedOptions(bar, 'users'))[0]!.querySelector('.option-label')!.textContent!);
    expect(few.matches).to.be.below(7);
    expect(few.rows).to.be.closeTo(few.matches, 0.05);
  });

  it('aborts a look-up that a newer keystroke made stale, and never shows its answer', async () => {
    const { bar, rec, input } = await picker();
    rec.hold('users');
    typeInto(input, 'an');
    await waitUntil(() => rec.to('users').length === 1);
    typeInto(input, 'zzz-nobody');
    expect(rec.to('users')[0]!.aborted, 'the stale look-up is aborted at the keystroke').to.equal(true);
    rec.release();
    await waitUntil(() => rec.to('users').length === 2);
    await waitUntil(() => status(bar).startsWith('No users'));
    expect(status(bar)).to.equal('No users match “zzz-nobody”.');
    expect(options(bar, 'users')).to.have.length(0);
    expect(part(bar, '#users-listbox').hidden).to.equal(true);
  });

  it('shows a failed look-up with the server message and Retry, and reports usage-error', async () => {
    const { bar, input } = await picker();
    const errors: UsageErrorEvent['detail'][] = [];
    bar.addEventListener('usage-error', (e) => errors.push(e.detail));
    // The real route refuses a string over 256 characters with a 400 naming `q`.
    typeInto(input, 'q'.repeat(300));
    await waitUntil(() => errors.length > 0, 'no usage-error', { timeout: 3_000 });
    expect(errors[0]).to.include({ code: 'bad_parameter', param: 'q', status: 400 });
    await bar.updateComplete;
    expect(status(bar)).to.contain('could not be loaded');
    typeInto(input, 'an');
    await loadedOptions(bar, 'users');
    expect(bar.shadowRoot!.querySelector('[part="retry"]')).to.equal(null);
  });
});

describe('users picker: its status while closed', () => {
  it('describes the field with nothing while the list is closed: no "Loading users…" never asked for, no count of a cleared query', async () => {
    const { bar, input, rec } = await picker();
    expect(input.getAttribute('aria-describedby')).to.contain('users-status');
    expect(status(bar)).to.equal('');
    expect(part(bar, '#endpoints-status').textContent!.trim()).to.equal('');
    expect(rec.to('users')).to.have.length(0);
    await openList(bar, input);
    expect(status(bar)).to.match(/users/);
    input.focus();
    await sendKeys({ press: 'Escape' });
    await bar.updateComplete;
    expect(status(bar)).to.equal('');
  });
});

describe('users picker: a failed look-up from the keyboard', () => {
  it('Tab from the field reaches Retry in the open list (instead of closing it); Retry asks again and gives the field its focus back', async () => {
    const { bar, input, rec } = await picker();
    const errors: UsageErrorEvent['detail'][] = [];
    bar.addEventListener('usage-error', (e) => errors.push(e.detail));
    input.focus();
    typeInto(input, 'q'.repeat(300));
    await waitUntil(() => errors.length > 0 && bar.shadowRoot!.querySelector('[part="retry"]') !== null, 'the look-up fails with Retry', { timeout: 3_000 });
    await sendKeys({ press: 'Tab' });
    const retry = bar.shadowRoot!.activeElement as HTMLElement;
    expect(retry?.getAttribute('part')).to.equal('retry');
    expect(part(bar, '#users-popup').hidden, 'the list stays open').to.equal(false);
    const asked = rec.to('users').length;
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => rec.to('users').length > asked, 'Retry asks again');
    expect(bar.shadowRoot!.activeElement === input, 'the field has the focus back').to.equal(true);
  });

  it('holds Retry until the time a 429 gave, says when, and does not ask again on reopening', async () => {
    await demoServer().ready;
    const rec = recorder();
    let limited = true;
    let asked = 0;
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      if (url.pathname !== '/api/users' || !limited) return rec.requestOptions.fetch(input, init);
      asked += 1;
      const body = { error: { code: 'rate_limited', message: 'Too many requests.' } };
      return Promise.resolve(Response.json(body, { status: 429, headers: { 'retry-after': '120' } }));
    }) as typeof globalThis.fetch;
    const holder = await fixture<UsageFilters>(html`<usage-filters data-endpoint="/api" locale="en-US" time-zone="UTC" .requestOptions=${{ ...rec.requestOptions, fetch }}>
      <usage-filter-bar></usage-filter-bar>
    </usage-filters>`);
    const bar = holder.querySelector('usage-filter-bar')!;
    await bar.updateComplete;
    const input = part<HTMLInputElement>(bar, '#users-input');
    input.focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => bar.shadowRoot!.querySelector('[part="retry"]') !== null, 'the look-up fails with Retry', { timeout: 3_000 });
    expect(status(bar)).to.contain('Too many requests.');
    expect(status(bar)).to.match(/Try again at .*\d:\d\d/);
    const retry = bar.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry"]')!;
    expect(retry.getAttribute('aria-disabled')).to.equal('true');
    const before = asked;
    retry.click();
    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'ArrowDown' });
    await aTimeout(50);
    expect(asked, 'no request before the time given').to.equal(before);
    expect(status(bar)).to.match(/Try again at .*\d:\d\d/);
    // The clock moved to a second before the time given: with no other change, Retry is let
    // go by itself and the status stops naming a time that has passed.
    const realNow = Date.now;
    const offset = 119_000;
    Date.now = () => realNow() + offset;
    try {
      bar.requestUpdate();
      await bar.updateComplete;
      expect(status(bar)).to.match(/Try again at /);
      const held = bar.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry"]')!;
      await waitUntil(() => !held.hasAttribute('aria-disabled'), 'Retry is let go by itself', { timeout: 4_000 });
      await bar.updateComplete;
      expect(status(bar)).to.contain('Too many requests.');
      expect(status(bar)).not.to.contain('Try again at');
    } finally {
      Date.now = realNow;
    }
    limited = false;
  });
});

describe('users picker: inside a host card that clips', () => {
  it('shows its options above whatever clips the bar (overflow: hidden, a transform)', async () => {
    await demoServer().ready;
    const rec = recorder();
    const holder = await fixture<UsageFilters>(html`<div style="overflow: hidden; height: 170px; transform: translateZ(0)">
      <usage-filters data-endpoint="/api" locale="en-US" .requestOptions=${rec.requestOptions}><usage-filter-bar></usage-filter-bar></usage-filters>
    </div>`);
    const bar = holder.querySelector('usage-filter-bar')!;
    await bar.updateComplete;
    const input = part<HTMLInputElement>(bar, '#users-input');
    typeInto(input, 'u');
    const shown = await loadedOptions(bar, 'users');
    const card = holder.getBoundingClientRect();
    expect(shown.length).to.be.greaterThan(3);
    // An option drawn below the card's foot, inside the list's box…
    const below = (): HTMLElement | undefined => {
      const list = part(bar, '#users-listbox').getBoundingClientRect();
      return options(bar, 'users').find((option) => {
        const box = option.getBoundingClientRect();
        const middle = box.top + box.height / 2;
        return !option.classList.contains('placeholder') && middle > card.bottom + 4 && middle < list.bottom - 4;
      });
    };
    await waitUntil(() => below() !== undefined, 'an option lies below the card');
    // …is what a person sees there, not the page under the card.
    const option = below()!;
    const box = option.getBoundingClientRect();
    const hit = bar.shadowRoot!.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    expect(hit?.closest('[role="option"]') === option, `the option is seen, not ${hit?.localName}.${hit?.className}`).to.equal(true);
    const field = part(bar, '#users-field').getBoundingClientRect();
    const popup = part(bar, '#users-popup').getBoundingClientRect();
    expect([Math.round(popup.left), Math.round(popup.width)], 'under its field, as wide').to.deep.equal([Math.round(field.left), Math.round(field.width)]);
    expect(popup.top).to.be.closeTo(field.bottom + 4, 1);
  });

  it('opens above its field when the window has no room below, though the page goes on', async () => {
    await demoServer().ready;
    const rec = recorder();
    // The bar's users field near the window's foot, with a long page after it.
    const holder = await fixture<HTMLElement>(html`<div>
      <div style="height: ${Math.max(0, window.innerHeight - 220)}px"></div>
      <usage-filters data-endpoint="/api" locale="en-US" .requestOptions=${rec.requestOptions}><usage-filter-bar></usage-filter-bar></usage-filters>
      <div style="height: 3000px"></div>
    </div>`);
    const bar = holder.querySelector('usage-filter-bar')!;
    await bar.updateComplete;
    const input = part<HTMLInputElement>(bar, '#users-input');
    input.scrollIntoView({ block: 'end' });
    typeInto(input, 'u');
    expect((await loadedOptions(bar, 'users')).length).to.be.greaterThan(3);
    const field = part(bar, '#users-field').getBoundingClientRect();
    expect(window.innerHeight - field.bottom, 'too little room below for the list').to.be.lessThan(200);
    await waitUntil(() => part(bar, '#users-popup').getBoundingClientRect().bottom <= field.top, 'the list opens above its field');
    expect(part(bar, '#users-popup').getBoundingClientRect().top).to.be.at.least(0);
    // Fixed to the window, it still follows its field as the page scrolls.
    window.scrollBy(0, 60);
    await waitUntil(() => {
      const popup = part(bar, '#users-popup').getBoundingClientRect();
      const moved = part(bar, '#users-field').getBoundingClientRect();
      return Math.abs(popup.left - moved.left) < 1 && (Math.abs(popup.bottom - (moved.top - 4)) < 1 || Math.abs(popup.top - (moved.bottom + 4)) < 1);
    }, 'the list follows its field');
    window.scrollTo(0, 0);
  });
});

describe('users picker: keyboard (ARIA combobox)', () => {
  it('shows the option the arrow keys rest on under forced colours, and its placeholder at the muted text colour in the dark theme', async () => {
    const { holder, bar, input } = await picker();
    holder.setAttribute('theme', 'dark');
    await bar.updateComplete;
    const muted = getComputedStyle(bar).getPropertyValue(drawnToken('--usage-color-muted')).trim();
    const probe = document.createElement('span');
    probe.style.color = muted;
    document.body.append(probe);
    const mutedRgb = getComputedStyle(probe).color;
    probe.remove();
    // The browser's own grey is 3.8:1 on the dark surface.
    expect(getComputedStyle(input, '::placeholder').color).to.equal(mutedRgb);
    input.focus();
    await sendKeys({ press: 'ArrowDown' });
    await loadedOptions(bar, 'users');
    await sendKeys({ press: 'ArrowDown' });
    await bar.updateComplete;
    const active = activeOption(bar, input)!;
    const other = active.nextElementSibling as HTMLElement;
    await emulateForcedColors(true);
    try {
      // The fill and the inset bar are repainted away: the active option takes the system's highlight.
      expect(getComputedStyle(active).forcedColorAdjust).to.equal('none');
      expect(fills(active)[0]).to.not.equal(fills(other)[0]);
    } finally {
      await emulateForcedColors(false);
    }
  });


  it('opens with ArrowDown, moves the active option, chooses with Enter, closes with Escape', async () => {
    const { holder, bar, input } = await picker();
    input.focus();
    expect(input.getAttribute('role')).to.equal('combobox');
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    await sendKeys({ press: 'ArrowDown' });
    await loadedOptions(bar, 'users');
    await bar.updateComplete;
    expect(input.getAttribute('aria-expanded')).to.equal('true');
    expect(input.getAttribute('aria-controls')).to.equal('users-listbox');
    expect(activeOption(bar, input)!.getAttribute('aria-posinset')).to.equal('1');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await bar.updateComplete;
    const third = activeOption(bar, input)!;
    expect(third.getAttribute('aria-posinset')).to.equal('3');
    expect(third.hasAttribute('data-active')).to.equal(true);
    const chosenLabel = third.querySelector('.option-label')!.textContent;
    await sendKeys({ press: 'Enter' });
    expect(holder.filters.userIds).to.have.length(1);
    await bar.updateComplete;
    expect(third.getAttribute('aria-selected')).to.equal('true');
    expect(part(bar, '.chip-label').textContent).to.equal(chosenLabel);
    expect(input.getAttribute('aria-expanded'), 'stays open to choose more').to.equal('true');
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'Enter' });
    expect(holder.filters.userIds).to.have.length(2);
    await sendKeys({ press: 'Escape' });
    await bar.updateComplete;
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    expect(input.hasAttribute('aria-activedescendant')).to.equal(false);
    expect(bar.shadowRoot!.activeElement === input, 'the input keeps the focus').to.equal(true);
  });

  it('Enter on a chosen option removes it; Backspace in an empty field removes the last chip', async () => {
    const { holder, bar, input } = await picker();
    await openList(bar, input);
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    const [first, second] = holder.filters.userIds;
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'Enter' });
    expect(holder.filters.userIds).to.deep.equal([second]);
    await sendKeys({ press: 'Backspace' });
    expect(holder.filters.userIds).to.deep.equal([]);
    expect(first).to.be.a('string');
  });

  it('Escape clears the typed text once the list is closed; Tab leaves and closes', async () => {
    const { bar, input } = await picker();
    input.focus();
    await sendKeys({ type: 'an' });
    await loadedOptions(bar, 'users');
    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'Escape' });
    await bar.updateComplete;
    expect(input.value).to.equal('');
    await sendKeys({ press: 'ArrowDown' });
    await bar.updateComplete;
    expect(input.getAttribute('aria-expanded')).to.equal('true');
    await sendKeys({ press: 'Tab' });
    await bar.updateComplete;
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    expect(bar.shadowRoot!.activeElement).to.not.equal(input);
  });

  it('leaves the field empty when the focus leaves it, after choosing from a query (the text is no value)', async () => {
    const { holder, bar, input } = await picker();
    input.focus();
    await sendKeys({ type: 'an' });
    const [option] = await loadedOptions(bar, 'users');
    option!.click();
    await bar.updateComplete;
    expect(holder.filters.userIds).to.have.length(1);
    expect(input.value, 'kept while choosing more').to.equal('an');
    await sendKeys({ press: 'Tab' });
    await bar.updateComplete;
    expect(input.value).to.equal('');
    // Opened again, the list is the whole one, not the stale query's.
    input.focus();
    await sendKeys({ press: 'ArrowDown' });
    const again = await loadedOptions(bar, 'users');
    expect(again.length).to.be.above(1);
  });

  it('a click on an option chooses it and keeps the focus in the field', async () => {
    const { holder, bar, input } = await picker();
    const [option] = await openList(bar, input);
    option!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, composed: true, cancelable: true }));
    option!.click();
    expect(holder.filters.userIds).to.have.length(1);
    expect(bar.shadowRoot!.activeElement === input, 'the input keeps the focus').to.equal(true);
  });

  it('refuses a 201st user with a message', async () => {
    const { holder, bar, input } = await picker();
    holder.filters = { userIds: Array.from({ length: 200 }, (_, i) => `u_fill_${i}`) };
    await bar.updateComplete;
    input.focus();
    await sendKeys({ type: 'an' });
    await loadedOptions(bar, 'users');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await bar.updateComplete;
    expect(holder.filters.userIds).to.have.length(200);
    expect(status(bar)).to.equal('At most 200 users can be chosen; remove one first.');
  });
});

describe('users picker: 50,000 users, virtualized', () => {
  it('opens with the whole count, renders only the rows in view, and pages in rows as they scroll into view', async () => {
    const server = await largeDemoServer();
    const { bar, rec, input } = await picker(server);
    await openList(bar, input);
    await bar.updateComplete;
    const total = await usersTotal(rec);
    expect(total).to.be.above(EXTRA_USERS);
    expect(status(bar)).to.equal(`${total.toLocaleString('en-US')} users`);
    const rendered = options(bar, 'users');
    expect(rendered.length, 'only the rows in view (and a few more) are in the DOM').to.be.within(5, 60);
    expect(rendered[0]!.getAttribute('aria-setsize')).to.equal(String(total));
    expect(rec.to('users').filter((r) => r.params.has('offset')).map((r) => r.params.get('offset'))).to.deep.equal(['0']);

    // Jump to the end: only the pages in view are fetched, not the 250 in between.
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'End' });
    await sendKeys({ up: 'Control' });
    await waitUntil(
      () => options(bar, 'users').some((o) => o.getAttribute('aria-posinset') === String(total) && !o.classList.contains('placeholder')),
      'the last row did not load',
      { timeout: 5_000 },
    );
    const offsets = rec.to('users').filter((r) => r.params.has('offset')).map((r) => Number(r.params.get('offset')));
    expect(offsets.length).to.be.at.most(4);
    expect(Math.max(...offsets)).to.equal(Math.floor((total - 1) / 200) * 200);
    await bar.updateComplete;
    expect(activeOption(bar, input)!.getAttribute('aria-posinset')).to.equal(String(total));
    expect(options(bar, 'users').length).to.be.below(60);
    await sendKeys({ press: 'Enter' });
    expect((bar as unknown as { filters: { userIds: string[] } }).filters.userIds.length).to.be.at.most(1);
  });

  it('lays out the rows of a themed option height at their measured height, not the layout\'s first guess (44px)', async () => {
    const { bar, input } = await picker(await largeDemoServer());
    bar.style.setProperty('--usage-filter-bar-option-height', '30px');
    await openList(bar, input);
    const listbox = part(bar, '#users-listbox');
    // Rows one under the other with no gap, down past the list's bottom.
    await waitUntil(
      () => {
        const rows = options(bar, 'users').map((o) => o.getBoundingClientRect());
        return rows.every((r, i) => Math.abs(r.height - 30) < 0.5 && (i === 0 || Math.abs(r.top - rows[i - 1]!.bottom) < 0.5)) && rows.at(-1)!.bottom >= listbox.getBoundingClientRect().bottom;
      },
      'the rows are not laid out at their own height',
      { timeout: 5_000 },
    );
  });

  it('scrolling the list loads the rows scrolled to', async () => {
    const server = await largeDemoServer();
    const { bar, rec, input } = await picker(server);
    await openList(bar, input);
    const listbox = part(bar, '#users-listbox');
    // A background page (tests run two at a time) gets no rendering steps, so neither the
    // scroll event nor the virtualizer's sizing may come on their own: scroll until it is
    // sized, and send the scroll event a visible page would.
    await waitUntil(
      () => {
        listbox.scrollTop = listbox.scrollHeight / 2;
        listbox.dispatchEvent(new Event('scroll'));
        return rec.to('users').some((r) => Number(r.params.get('offset')) > 20_000);
      },
      'no page for the middle',
      { timeout: 5_000 },
    );
    await waitUntil(() => {
      const middle = options(bar, 'users').filter((o) => Number(o.getAttribute('aria-posinset')) > 20_000);
      return middle.length > 0 && middle.every((o) => !o.classList.contains('placeholder'));
    });
    const labels = options(bar, 'users').map((o) => o.querySelector('.option-label')?.textContent ?? '');
    expect(labels.some((l) => l.startsWith('Load User'))).to.equal(true);
    // The active option (the first) was scrolled out of the page: the input names no option
    // that is not there (axe: aria-valid-attr-value).
    await bar.updateComplete;
    const active = input.getAttribute('aria-activedescendant');
    expect(active === null || bar.shadowRoot!.getElementById(active) !== null, `aria-activedescendant="${active}" names a row in the page`).to.equal(true);
  });

  it('type-ahead narrows 50,000 users through the route', async () => {
    const server = await largeDemoServer();
    const { bar, input } = await picker(server);
    input.focus();
    await sendKeys({ type: 'load user 4999' });
    await waitUntil(() => status(bar).startsWith('10 users match'), 'no narrowed answer', { timeout: 5_000 });
    await loadedOptions(bar, 'users');
    expect(options(bar, 'users').map((o) => o.querySelector('.option-label')!.textContent)).to.include('Load User 49990');
    await expect(bar).to.be.accessible();
  });
});
