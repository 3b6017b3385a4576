import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIngestBody } from './ingest-input.js';

const NOW = Date.UTC(2026, 2, 30, 12);
const event = { userId: 'u', amount: 1, resourceType: 'tokens', ioType: 'input', requestId: 'r', endpoint: '/e', created: '2026-03-30T11:59:00.000Z' };
const bad = { error: { code: 'bad_parameter', message: 'requestId must be well-formed text without NUL characters.', param: 'requestId' } };

test('strings are checked for lone surrogates and NUL whether they come escaped or raw in the text', () => {
  const escaped = JSON.stringify({ events: [event, { ...event, requestId: 'a\ud800' }, { ...event, requestId: 'a\u0000b' }] });
  assert.deepEqual(parseIngestBody(escaped, NOW).entries, [{ ...event, created: NOW - 60_000 }, bad, bad]);
  // Raw in a text without escapes: no UTF-8 body decodes to a lone surrogate, but the text may come from elsewhere.
  const raw = `{"events":[${JSON.stringify(event)},${JSON.stringify(event).replace('"r"', '"a\ud800"')}]}`;
  assert.ok(!raw.includes('\\'));
  assert.deepEqual(parseIngestBody(raw, NOW).entries, [{ ...event, created: NOW - 60_000 }, bad]);
  assert.throws(() => parseIngestBody(JSON.stringify({ ...event, userId: 'x\udc00' }), NOW), { param: 'userId' });
});

test('escaped and non-ASCII text that is well-formed is kept as it is', () => {
  const texts = { userId: 'quote " and \\ back', requestId: 'é 😀 中文', endpoint: '/v1\n\t/x' };
  const { batch, entries } = parseIngestBody(JSON.stringify({ ...event, ...texts }), NOW);
  assert.equal(batch, false);
  assert.deepEqual(entries, [{ ...event, ...texts, created: NOW - 60_000 }]);
  const raw = `{"events":[${JSON.stringify({ ...event, requestId: 'é 😀 中文' })}]}`;
  assert.ok(!raw.includes('\\'));
  assert.deepEqual(parseIngestBody(raw, NOW).entries, [{ ...event, requestId: 'é 😀 中文', created: NOW - 60_000 }]);
});

test('256 characters are code points: 256 emoji (512 UTF-16 units) are kept, 257 refused', () => {
  const emoji = (n: number) => '😀'.repeat(n);
  assert.deepEqual(parseIngestBody(JSON.stringify({ ...event, requestId: emoji(256) }), NOW).entries, [{ ...event, requestId: emoji(256), created: NOW - 60_000 }]);
  assert.throws(() => parseIngestBody(JSON.stringify({ ...event, requestId: emoji(257) }), NOW), { param: 'requestId' });
});

test('a body nesting deeper than a batch of events and a field value is refused before it is parsed', () => {
  // Brackets inside strings do not count, escaped quotes included.
  const tricky = { ...event, requestId: '[[[[{{{{"\\"[[[[', endpoint: '/e]]]}}}' };
  assert.equal(parseIngestBody(JSON.stringify({ events: [tricky] }), NOW).entries.length, 1);
  // A field given an object is its entry's error, not the batch's (4 levels).
  const field = parseIngestBody(JSON.stringify({ events: [event, { ...event, userId: { id: 'u' } }] }), NOW).entries;
  assert.equal(field.length, 2);
  assert.ok('error' in field[1]!);
  for (const text of ['[[[[[1]]]]]', `{"events":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`, `{"events":[{"userId":{"a":{"b":1}}}]}`]) {
    assert.throws(() => parseIngestBody(text, NOW), (error: { param?: string; message: string }) => error.param === 'body' && /nests deeper than 4 levels/.test(error.message), text.slice(0, 30));
  }
});
