import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from './errors.js';
import { parseRouteParams } from './params.js';
import { keptZoneFormatters } from '../../src/api/time-zone.js';

const refusal = (route: Parameters<typeof parseRouteParams>[0], search: string): ApiError | null => {
  try {
    parseRouteParams(route, search);
    return null;
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return error;
  }
};

test('an instant before 1970 is refused naming the parameter, the years 0–99 too (Date.UTC reads them as 1900–1999)', () => {
  for (const from of ['0080-01-01T00:00:00Z', '0099-12-31T23:59:59.999Z', '0070-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '0085-06-01T00:00:00-23:59']) {
    for (const route of ['events', 'eventsCsv', 'consumption', 'surplus', 'stream'] as const) {
      const error = refusal(route, `?from=${encodeURIComponent(from)}&to=2026-01-01T00:00:00Z`);
      assert.ok(error, `${route} ${from}`);
      assert.equal(error.code, 'bad_parameter');
      assert.equal(error.param, 'from');
    }
    assert.equal(refusal('consumption', `?from=2026-01-01T00:00:00Z&to=${encodeURIComponent(from)}`)?.param, 'to', from);
  }
  for (const from of ['1970-01-01T00:00:00Z', '1980-01-01T00:00:00Z', '1999-01-01T00:00:00+00:00']) {
    assert.equal(refusal('events', `?from=${encodeURIComponent(from)}&to=2026-01-01T00:00:00Z`), null, from);
  }
  assert.equal(parseRouteParams('consumption', '?from=1980-01-01T00:00:00Z&to=1985-01-01T00:00:00Z').from, Date.UTC(1980, 0, 1));
});

test('tz is answered in IANA spelling when it differs only in case, else as sent (never another link of the zone)', () => {
  const tz = (value: string) => parseRouteParams('surplus', `?tz=${encodeURIComponent(value)}`).tz;
  assert.equal(tz('utc'), 'UTC');
  assert.equal(tz('UTC'), 'UTC');
  assert.equal(tz('europe/berlin'), 'Europe/Berlin');
  assert.equal(tz('AMERICA/NEW_YORK'), 'America/New_York');
  assert.equal(tz('Asia/Kolkata'), 'Asia/Kolkata');
  // ICU resolves it to the older Asia/Calcutta: its current name's case mended all the same.
  assert.equal(tz('asia/kolkata'), 'Asia/Kolkata');
  assert.equal(tz('europe/kyiv'), 'Europe/Kyiv');
  assert.equal(tz('Asia/Calcutta'), 'Asia/Calcutta');
  assert.equal(tz('Etc/UTC'), 'Etc/UTC');
  assert.equal(parseRouteParams('consumption', '?tz=utc').tz, 'UTC');
});

test('a tz sent in many spellings keeps one formatter: a read token cannot grow the server by a zone name\'s 2^n cases', () => {
  const name = 'America/Argentina/ComodRivadavia';
  parseRouteParams('surplus', `?tz=${encodeURIComponent(name)}`);
  const before = keptZoneFormatters();
  for (let i = 0; i < 500; i++) {
    const spelled = [...name].map((c, j) => ((i >> j % 9) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
    parseRouteParams('surplus', `?tz=${encodeURIComponent(spelled)}`);
  }
  assert.equal(keptZoneFormatters(), before);
});

test('a zone whose + arrived as a space (sent unencoded) is refused saying how to send it; sent as %2B it is taken', () => {
  const error = refusal('consumption', '?tz=Etc/GMT+5');
  assert.equal(error?.param, 'tz');
  assert.match(error!.message, /Send the \+ of Etc\/GMT\+5 as %2B\./);
  assert.doesNotMatch(refusal('consumption', '?tz=Mars/Base')!.message, /%2B/);
  assert.equal(parseRouteParams('consumption', '?tz=Etc/GMT%2B5').tz, 'Etc/GMT+5');
});

test('an instant whose + offset arrived as a space (sent unencoded) is read as sent; a space elsewhere is refused', () => {
  const parsed = parseRouteParams('events', '?from=2026-11-01T00:00:00+05:30&to=2026-11-02T00:00:00.5+01:00');
  assert.equal(parsed.from, Date.parse('2026-10-31T18:30:00Z'));
  assert.equal(parsed.to, Date.parse('2026-11-01T23:00:00.500Z'));
  for (const from of ['2026-11-01 00:00:00Z', '2026-11-01T00:00:00 5:30', '2026-11-01T00:00:00  05:30', ' 2026-11-01T00:00:00Z 05:30']) {
    assert.equal(refusal('events', `?from=${encodeURIComponent(from)}&to=2026-11-02T00:00:00Z`)?.param, 'from', from);
  }
});

test('an integer past the largest safe one is refused saying the maximum, not that it is no integer', () => {
  const error = refusal('events', '?page=123456789012345678901');
  assert.equal(error?.param, 'page');
  assert.match(error!.message, /^page must be a positive integer of at most 9,007,199,254,740,991\.$/);
  assert.match(refusal('events', '?page=-3')!.message, /^page must be a positive integer\.$/);
  assert.match(refusal('events', '?page=0')!.message, /^page must be a positive integer\.$/);
});
