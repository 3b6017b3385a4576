import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatInstant, parseInstant } from '../../src/api/contract.js';
import { Random } from '../seed/prng.js';
import { formatInstantFast, parseInstantFast } from './instants.js';

test('formatInstantFast writes what formatInstant writes, at every kind of instant', () => {
  const random = new Random('instants');
  const samples = [0, 1, 59_999, 60_000, 1_764_800_000_000, Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), -1, -60_001, 1.5];
  for (let i = 0; i < 20_000; i++) samples.push(random.int(0, 2 ** 40), 1_764_800_000_000 + random.int(0, 3_600_000));
  for (const ms of samples) assert.equal(formatInstantFast(ms), formatInstant(ms), String(ms));
});

test('parseInstantFast reads what parseInstant reads, valid or not, in any order of minutes', () => {
  const random = new Random('parse-instants');
  const texts = [
    '2026-03-30T10:00:00.000Z',
    '2026-03-30T10:00:59.999Z',
    '2026-03-30T10:00:60.000Z',
    '2026-03-30T10:00:99.000Z',
    '2026-02-30T10:00:00.000Z',
    '2026-02-29T10:00:00.000Z',
    '2024-02-29T23:59:59.999Z',
    '2026-03-30T24:00:00.000Z',
    '2026-03-30T10:60:00.000Z',
    '2026-13-30T10:00:00.000Z',
    '0050-01-01T00:00:00.000Z',
    '2026-03-30T10:00:00.000z',
    '2026-03-30T10:00:00,000Z',
    '2026-03-30T10:00:00.00aZ',
    '2026-03-30T10:00:0a.000Z',
    '2026-03-30 10:00:00.000Z',
    '2026-03-30T10:00:00.000+00:00',
    '2026-03-30T10:00:00.0000Z',
    '2026-03-30T10:00:00.00Z',
    '2026-03-30T10:00:00Z',
    '2026-03-30T10:00Z',
    '2026-03-30T10:00:00.000',
    '+02026-03-30T10:00:00.0Z',
    '',
  ];
  const digits = '0123456789';
  for (let i = 0; i < 20_000; i++) {
    const text = new Date(1_764_800_000_000 + random.int(-86_400_000, 86_400_000)).toISOString();
    texts.push(text);
    // One character changed: a digit, or anything at all.
    const at = random.int(0, text.length - 1);
    const by = random.next() < 0.7 ? digits[random.int(0, 9)]! : String.fromCharCode(random.int(32, 126));
    texts.push(text.slice(0, at) + by + text.slice(at + 1));
  }
  for (const text of texts) assert.equal(parseInstantFast(text), parseInstant(text), text);
});
