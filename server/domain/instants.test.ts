import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatInstant } from '../../src/api/contract.js';
import { Random } from '../seed/prng.js';
import { formatInstantFast } from './instants.js';

test('formatInstantFast writes what formatInstant writes, at every kind of instant', () => {
  const random = new Random('instants');
  const samples = [0, 1, 59_999, 60_000, 1_764_800_000_000, Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), -1, -60_001, 1.5];
  for (let i = 0; i < 20_000; i++) samples.push(random.int(0, 2 ** 40), 1_764_800_000_000 + random.int(0, 3_600_000));
  for (const ms of samples) assert.equal(formatInstantFast(ms), formatInstant(ms), String(ms));
});
