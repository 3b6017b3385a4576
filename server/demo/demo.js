// The demo host page: what a host application does to embed the elements — load the
// bundle, pass the bearer token through the request options, set attributes. The server
// hands the page its configuration in a JSON data block (not a script), so no inline
// script runs and the page keeps a strict Content-Security-Policy.
import { configureUsageDashboard, fetchEvents, fetchLimits, fetchSurplus, fetchUser, formatAmount, formatDateTime, isolate, parseInstant } from '/dist/usage-dashboard.bundle.js';

const config = JSON.parse(document.getElementById('demo-config').textContent);
const endpoint = new URL(config.endpoint, location.href).href;
configureUsageDashboard({ headers: { authorization: `Bearer ${config.token}` } });

// The per-user page's user is the page's own filter state, set through the holder's
// `filters` property (an ID may hold commas, which the `user-id` attribute would split),
// in this same task as the library loaded, so before the pieces first ask for data. The
// range, type and other filters stay shared, and "Reset filters" returns to this user. The
// path names the user: a `ud.user` naming anyone else, which the holder took over this
// state, would show other users under this one's heading, so it gives way to this user
// (the address is replaced, not a new history entry).
if (config.userId !== undefined) {
  const holder = document.querySelector('[data-user-dashboard]');
  holder.filters = { userIds: [config.userId] };
  const { userIds } = holder.filters;
  if (userIds.length !== 1 || userIds[0] !== config.userId) holder.contextValue.update({ userIds: [config.userId] }, { transient: true });
}

for (const el of document.querySelectorAll('[data-org-name]')) el.textContent = config.organization;

const TYPES = ['tokens', 'storage', 'ocr'];

// Theme: one switch for the page (color-scheme) and every element (<usage-filters theme>).
const THEME_KEY = 'usage-demo.theme';
const THEMES = ['auto', 'light', 'dark'];
const switcher = document.querySelector('[data-theme-switch]');
function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  for (const holder of document.querySelectorAll('usage-filters')) holder.setAttribute('theme', theme);
}
const saved = localStorage.getItem(THEME_KEY);
const initialTheme = THEMES.includes(saved) ? saved : 'auto';
switcher.value = initialTheme;
applyTheme(initialTheme);
switcher.addEventListener('change', () => {
  localStorage.setItem(THEME_KEY, switcher.value);
  applyTheme(switcher.value);
});

/** How long a choice made by keyboard in Group by or Per rests before it applies (the filter bar's date range waits as long). */
const KEY_CHOICE_REST_MS = 600;

// The dashboard's consumption chart: what it stacks by (its group-by attribute) and per
// what span (its bucket attribute), each kept in a URL parameter of the page's own
// (`groupBy`, `bucket`) beside the filters' `ud.*` ones, so a bookmark or a reload keeps
// the view; a change is a history entry, and Back and Forward restore it. The first option
// is the default, left out of the URL.
function keepInUrl(select, param, attribute) {
  const chart = select.closest('consumption-chart');
  const known = [...select.options].map((option) => option.value);
  const fromUrl = () => {
    const value = new URL(location.href).searchParams.get(param);
    return known.includes(value) ? value : known[0];
  };
  const show = (value) => {
    select.value = value;
    chart.setAttribute(attribute, value);
  };
  let applied = fromUrl();
  show(applied);
  const apply = () => {
    clearTimeout(rest);
    if (select.value === applied) return;
    applied = select.value;
    const url = new URL(location.href);
    if (applied === known[0]) url.searchParams.delete(param);
    else url.searchParams.set(param, applied);
    history.pushState(history.state, '', url);
    show(applied);
  };
  // A closed select changes with every arrow key: chosen by keyboard, a choice applies once
  // it rests, on Enter or when the select loses the focus (as the filter bar's date range),
  // not each option passed on the way (a request and a history entry each); by pointer, at once.
  let byKeyboard = false;
  let rest;
  select.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') apply();
    else if (event.key !== 'Tab') byKeyboard = true;
  });
  select.addEventListener('pointerdown', () => (byKeyboard = false));
  select.addEventListener('blur', apply);
  select.addEventListener('change', () => {
    clearTimeout(rest);
    if (byKeyboard) rest = setTimeout(apply, KEY_CHOICE_REST_MS);
    else apply();
  });
  addEventListener('popstate', () => {
    clearTimeout(rest);
    applied = fromUrl();
    show(applied);
  });
}
const groupBy = document.querySelector('[data-group-by]');
if (groupBy) keepInUrl(groupBy, 'groupBy', 'group-by');
const bucket = document.querySelector('[data-bucket]');
if (bucket) keepInUrl(bucket, 'bucket', 'bucket');

// Its "Compare" (the chart's own toggle, its `compare` property) is
// kept likewise, as `compare=1`: the toggle's click reaches the page after the chart took it.
const consumption = document.querySelector('[data-consumption]');
if (consumption) {
  const compareInUrl = () => new URL(location.href).searchParams.get('compare') === '1';
  consumption.compare = compareInUrl();
  consumption.addEventListener('click', (event) => {
    if (!event.composedPath().some((node) => node.part?.contains('compare-toggle'))) return;
    const url = new URL(location.href);
    if (consumption.compare) url.searchParams.set('compare', '1');
    else url.searchParams.delete('compare');
    history.pushState(history.state, '', url);
  });
  addEventListener('popstate', () => (consumption.compare = compareInUrl()));
}

// Going between the dashboard and a user's page keeps the date range and resource type in
// view: a followed link to either (in the elements' shadow roots too: user IDs, legend and
// "who is drawing surplus" links) takes the page's `ud.range`, `ud.from`, `ud.to` and
// `ud.type` along, as they stand in the address bar. Set as the link is followed (click,
// middle click, context menu), so the link a person opens or copies holds them.
const CARRIED = /^ud\.(range|from|to|type)$/;
function carryView(event) {
  const link = event.composedPath().find((node) => node instanceof HTMLAnchorElement);
  if (!link || link.origin !== location.origin || !(link.pathname === '/' || link.pathname.startsWith('/users/'))) return;
  const url = new URL(link.href);
  for (const key of [...url.searchParams.keys()]) if (CARRIED.test(key)) url.searchParams.delete(key);
  for (const [key, value] of new URL(location.href).searchParams) if (CARRIED.test(key)) url.searchParams.append(key, value);
  link.href = url.href;
}
for (const type of ['click', 'auxclick', 'contextmenu']) addEventListener(type, carryView, true);

// A request ID chosen in the table: the dashboard looks that request up (all dates), as an
// admin portal's "investigate this request" would; the filter bar shows it and clears it.
// It is the person's change, made through the holder's context value: announced, a new
// history entry (Back returns), and Reset still returns to the page's own state.
document.addEventListener('usage-request-select', (event) => {
  const holder = event.target.closest('usage-filters');
  holder?.contextValue.update({ requestId: event.detail.requestId });
});

// A request ID searched from the filter bar: its events are in the table, below the charts
// and out of sight on a laptop screen (nothing on screen changed but one grey sentence), so
// the page brings the table into view; it stays put when the table's top is already in view
// (a request chosen in the table).
const eventLog = document.querySelector('consumption-events-table');
let searched = eventLog?.closest('usage-filters')?.filters.requestId ?? null;
document.addEventListener('usage-filters-change', (event) => {
  const { requestId } = event.detail.state;
  const found = requestId !== null && requestId !== searched;
  searched = requestId;
  if (!found || !eventLog || eventLog.getBoundingClientRect().top < innerHeight * 0.6) return;
  eventLog.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
});

// "Data as of": the instant the endpoint's answers reflect, refreshed twice a minute; on
// the dashboard, how much of the organization's limits is used (capacity planning). When
// `GET limits` fails before any answer, the header says the instant is not available and
// the cards say why, with a way to try again; a later failure keeps the last answer, whose
// instant the header still shows.
/** A part of a whole as a whole percentage, in the page's locale as the amounts beside it are ("70 %" in German). */
function percent(part, whole) {
  return new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 }).format(part / whole);
}
const asOf = document.querySelector('[data-as-of]');
const asOfLine = asOf.parentElement;
const orgLimits = document.querySelector('[data-org-limits]');
function showUse(name, used, limit, type, what) {
  const meter = orgLimits.querySelector(`[data-${name}-meter]`);
  meter.max = 1;
  meter.value = limit > 0 ? Math.min(1, used / limit) : 0;
  const share = limit > 0 ? ` (${percent(used, limit)})` : '';
  // Each figure isolated: in a right-to-left locale they keep their order in the English line.
  orgLimits.querySelector(`[data-${name}-text]`).textContent = `${isolate(formatAmount(used, type))} of ${isolate(formatAmount(limit, type))} ${what}${share}`;
}
/** The cards' figures, or (`error`) why there are none and a button to try again. */
function showLimitsError(error) {
  // The button a person pressed goes away with a success: the focus moves to the cards.
  if (error === null && orgLimits.contains(document.activeElement)) orgLimits.focus();
  for (const stat of orgLimits.querySelectorAll('.stat')) stat.hidden = error !== null;
  orgLimits.querySelector('[data-limits-error]').hidden = error === null;
  if (error !== null) orgLimits.querySelector('[data-limits-error-text]').textContent = `The organization's limits could not be loaded. ${error?.message ?? error}`;
}
/** Reads `GET limits` once for every part of the page that shows it; its answer, as a promise. */
function refreshAsOf() {
  const answer = fetchLimits(endpoint);
  answer.then(
    (limits) => {
      asOf.dateTime = limits.asOf;
      asOf.textContent = formatDateTime(limits.asOf, { style: 'medium' });
      asOfLine.replaceChildren('Data as of ', asOf);
      if (orgLimits) {
        showUse('week', limits.weeklyTokensUsed, limits.weeklyTokenLimit, 'tokens', 'used in the last 7 days');
        showUse('storage', limits.storageUsed, limits.storageLimit, 'storage', 'used in the last 7 days');
        showLimitsError(null);
        orgLimits.removeAttribute('aria-busy');
      }
    },
    (error) => {
      if (asOf.dateTime) return;
      asOfLine.textContent = 'Data as of: not available';
      if (orgLimits) {
        showLimitsError(error);
        orgLimits.removeAttribute('aria-busy');
      }
    },
  );
  return answer;
}
let limitsNow = refreshAsOf();
/** Called with each new answer of `GET limits` (the per-user page's "left now" reads its asOf). */
const limitsReaders = [];
function reloadLimits() {
  limitsNow = refreshAsOf();
  for (const read of limitsReaders) read(limitsNow);
  return limitsNow;
}
// Every 30 s while the page shows; a turn missed in the background comes when it shows again
// (a hidden tab asked every 30 s for nothing).
let limitsMissed = false;
setInterval(() => {
  if (document.hidden) limitsMissed = true;
  else reloadLimits();
}, 30_000);
document.addEventListener('visibilitychange', () => {
  if (document.hidden || !limitsMissed) return;
  limitsMissed = false;
  reloadLimits();
});
const retry = document.querySelector('[data-limits-retry]');
// While it runs, the button stays focusable (a disabled one would drop the focus) and a
// second press waits for the first.
retry?.addEventListener('click', () => {
  if (retry.getAttribute('aria-disabled') === 'true') return;
  retry.setAttribute('aria-disabled', 'true');
  const done = () => retry.removeAttribute('aria-disabled');
  reloadLimits().then(done, done);
});

// The per-user page: the heading names the user (the bar hides its users picker, the user
// being the page's own state, above); the user's limits.
if (config.userId !== undefined) {
  // The note's instant, held by a placeholder of now's length ("10:13:40 PM" is longer than a
  // fixed "0:00:00 AM"), so that the note keeps its lines when the instant comes.
  const instant = document.querySelector('[data-left-note] .skeleton');
  if (instant) instant.textContent = formatDateTime(new Date().toISOString(), { style: 'medium' });
  const titles = document.querySelectorAll('[data-user-title]');
  try {
    const user = await fetchUser(endpoint, config.userId);
    const title = user.name ?? user.id;
    document.title = `${title} · Admin portal`;
    for (const el of titles) el.textContent = title;
    // The line keeps its place (the placeholder held it) when the user has no email.
    document.querySelector('[data-user-email]').textContent = [user.email ?? 'No email', user.name ? user.id : null].filter(Boolean).join(' · ');
    const left = {};
    for (const type of TYPES) {
      const [base, baseLeft, surplus, surplusLeft] = document.querySelectorAll(`[data-limits] tr[data-type="${type}"] td`);
      base.textContent = formatAmount(user.limits[type].basePer4h, type);
      surplus.textContent = formatAmount(user.limits[type].surplusPer4h, type);
      left[type] = { base: baseLeft, surplus: surplusLeft };
    }
    const section = document.querySelector('[data-user-section]');
    const refreshLeft = (limits) =>
      showLeft(user, left, limits)
        .catch((error) => {
          for (const cells of Object.values(left)) for (const cell of [cells.base, cells.surplus]) cell.querySelector('.skeleton')?.remove();
          showLeftNote(`What is left now could not be loaded: ${error?.message ?? error}`);
        })
        .finally(() => section.removeAttribute('aria-busy'));
    refreshLeft(limitsNow);
    limitsReaders.push(refreshLeft);
  } catch (error) {
    const notice = document.querySelector('[data-user-missing]');
    notice.hidden = false;
    // No user, so no email line: its placeholder goes too.
    document.querySelector('[data-user-email]').replaceChildren();
    document.querySelector('[data-user-section]').hidden = true;
    if (error?.status === 404) {
      document.querySelector('[data-user-dashboard]').hidden = true;
    } else {
      notice.textContent = `The user's limits could not be loaded: ${error?.message ?? error}`;
    }
  }
}

// What the user's next event can use now, as ingest would classify it: the budgets minus
// the user's consumption in the rolling window (t − 4 h, t] (the allocated part of each
// event against the base budget, its surplus part against the allowance), the allowance
// also capped by what is left in the organization's pool. The page reads the user's
// events of the window (a few pages at most) and the pool's minute series.
async function showLeft(user, cells, limits) {
  const { asOf } = await limits;
  const now = parseInstant(asOf);
  const minute = Math.floor(now / 60_000) * 60_000;
  await Promise.all(TYPES.map(async (type) => {
    const [used, pool] = await Promise.all([
      windowUse(type, now),
      fetchSurplus(endpoint, { resourceType: type, from: new Date(minute - 3_600_000).toISOString(), to: new Date(minute + 60_000).toISOString(), bucket: 'minute' }),
    ]);
    const { basePer4h, surplusPer4h } = user.limits[type];
    // Below 0 while the pool is overdrawn (events ingested back-dated): no room, not a negative amount left.
    const available = Math.max(0, pool.points.at(-1)?.available ?? 0);
    const allowance = Math.max(0, surplusPer4h - used.surplus);
    cells[type].base.textContent = share(Math.max(0, basePer4h - used.base), basePer4h, type);
    cells[type].surplus.textContent = share(Math.min(allowance, available), surplusPer4h, type) + (available < allowance ? ', pool-limited' : '');
  }));
  showLeftNote(`Left now: the budgets minus this user's consumption in the 4 hours before ${formatDateTime(asOf, { style: 'medium' })}; "pool-limited" when the organization's surplus pool has less left than the allowance.`);
  document.querySelector('[data-left-note]').dataset.asOf = asOf;
}

/** The user's consumption of `type` in (now − 4 h, now]: its allocated part and its surplus part. */
async function windowUse(type, now) {
  const used = { base: 0, surplus: 0 };
  const query = { userIds: [config.userId], resourceType: type, from: new Date(now - 4 * 3_600_000 + 1).toISOString(), to: new Date(now + 1).toISOString(), pageSize: 500 };
  for (let page = 1; ; page++) {
    const answer = await fetchEvents(endpoint, { ...query, page });
    for (const event of answer.items) {
      used.base += event.amount - event.surplusAmount;
      used.surplus += event.surplusAmount;
    }
    if (answer.items.length < answer.pageSize || page * answer.pageSize >= answer.total) return used;
  }
}

function share(amount, of, type) {
  return of > 0 ? `${formatAmount(amount, type)} (${percent(amount, of)})` : formatAmount(amount, type);
}

function showLeftNote(text) {
  document.querySelector('[data-left-note]').textContent = text;
}
