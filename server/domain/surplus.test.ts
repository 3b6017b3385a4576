// The surplus pool's `available` step function against its definition minute by minute:
// capacity at the minute less the surplus drawn over the 240 minutes up to it (repeated
// minutes, minutes before the first, limit versions changing the capacity, unsorted input).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../seed/prng.js';
import type { MinuteDrawn, OrganizationLimits } from '../store/types.js';
import { AvailableSteps, buildSurplusSeries, capacityAt, firstMinuteNeeded } from './surplus.js';

const MINUTE = 60_000;
const WINDOW = 240;

function limitsAt(effectiveFrom: number, tokens: number): OrganizationLimits {
  return { effectiveFrom, weeklyTokenLimit: 1e9, storageLimit: 1e9, surplusCapacity: { tokens, storage: 0, ocr: 0 } };
}

test('AvailableSteps: every minute equals capacity less the drawn of its 240 minutes', () => {
  const random = new Random('available-steps');
  for (let round = 0; round < 40; round++) {
    const first = 1_000_000 + Math.floor(random.next() * 1_000);
    const span = 200 + Math.floor(random.next() * 3_000);
    const drawn: MinuteDrawn[] = [];
    for (let i = 0; i < span / 4; i++) {
      const index = first - 2 * WINDOW + Math.floor(random.next() * (span + 2 * WINDOW));
      drawn.push({ minute: index * MINUTE, drawn: 1 + Math.floor(random.next() * 500) });
      // A minute read twice (an events edge beside the rollup) counts once, summed.
      if (random.chance(0.1)) drawn.push({ minute: index * MINUTE, drawn: 1 + Math.floor(random.next() * 50) });
    }
    const sorted = [...drawn].sort((a, b) => a.minute - b.minute);
    const limits = [limitsAt(0, 20_000)];
    if (random.chance(0.6)) limits.push(limitsAt((first + Math.floor(random.next() * span)) * MINUTE - 30_000, 5_000));
    if (random.chance(0.3)) limits.push(limitsAt((first - 10) * MINUTE, 8_000));
    limits.sort((a, b) => a.effectiveFrom - b.effectiveFrom);
    const steps = new AvailableSteps(first, round % 4 === 3 ? drawn : sorted, limits, 'tokens');
    assert.equal(steps.minutes[0], first);
    for (let m = first; m < first + span + WINDOW + 10; m++) {
      let inWindow = 0;
      for (const row of drawn) if (row.minute / MINUTE > m - WINDOW && row.minute / MINUTE <= m) inWindow += row.drawn;
      const expected = capacityAt(limits, 'tokens', m * MINUTE) - inWindow; // below 0 when overdrawn
      assert.equal(steps.valueAt(m), expected, `round ${round}, minute ${m - first} after the first`);
    }
    for (let i = 1; i < steps.values.length; i++) {
      assert.ok(steps.minutes[i]! > steps.minutes[i - 1]!, 'the change minutes ascend');
      assert.notEqual(steps.values[i], steps.values[i - 1], 'a step changes the value');
    }
    // Runs dry: the minutes of [a, b] whose value fell from above 0 to 0 or below (the first minute's fall included).
    const capacity = (m: number) => capacityAt(limits, 'tokens', m * MINUTE);
    for (let k = 0; k < 5; k++) {
      const a = first + 1 + Math.floor(random.next() * span);
      const b = a + Math.floor(random.next() * 600);
      let falls = 0;
      for (let m = a; m <= b; m++) if (steps.valueAt(m - 1) > 0 && steps.valueAt(m) <= 0 && capacity(m) > 0) falls++;
      assert.equal(steps.exhaustions(a, b, capacity), falls, `round ${round}: minutes ${a - first}–${b - first}`);
      // A range starting at a fall's own minute counts it.
      const fall = [...Array(span).keys()].map((i) => first + 1 + i).find((m) => steps.valueAt(m - 1) > 0 && steps.valueAt(m) <= 0 && capacity(m) > 0);
      if (fall !== undefined) assert.ok(steps.exhaustions(fall, fall, capacity) === 1, `round ${round}: the fall at ${fall - first}`);
    }
  }
});

test('the projection: ratePerDay, the slope of the 14 daily lows, and exhaustedAt where that line reaches 0 within 30 days (else null)', () => {
  const DAY = 86_400_000;
  const asOf = Date.parse('2026-03-30T00:00:00.000Z');
  const capacity = 10_000;
  /** One draw at noon of each of the 14 days before asOf: each day's low is capacity − its draw (draws 24 hours apart). */
  const project = (lowOfDay: (k: number) => number) => {
    const drawn: MinuteDrawn[] = [];
    for (let k = 14; k >= 1; k--) drawn.push({ minute: asOf - k * DAY + DAY / 2, drawn: capacity - lowOfDay(k) });
    const edges = [asOf - DAY, asOf];
    const steps = new AvailableSteps(firstMinuteNeeded(edges, asOf), drawn, [limitsAt(0, capacity)], 'tokens');
    return buildSurplusSeries({ type: 'tokens', edges, from: asOf - DAY, to: asOf, asOf, limits: [limitsAt(0, capacity)], steps, sums: [], drawnLastWeek: 7_700 }).projection;
  };
  // Day k before asOf (k = 1 the last) has its low at 6,000 + 250·(k − 1): falling 250 a
  // day, the line reaches 0 24 days after asOf.
  const falling = project((k) => 6_000 + 250 * (k - 1));
  assert.equal(falling.ratePerDay, 1_100);
  assert.ok(Math.abs(falling.troughSlopePerDay + 250) < 1e-6, String(falling.troughSlopePerDay));
  assert.equal(falling.exhaustedAt, new Date(asOf + 24 * DAY).toISOString());
  // Falling 150 a day, it reaches 0 after 40 days: past the 30 the forecast looks ahead.
  const slower = project((k) => 6_000 + 150 * (k - 1));
  assert.ok(Math.abs(slower.troughSlopePerDay + 150) < 1e-6);
  assert.equal(slower.exhaustedAt, null);
  // 29 days ahead is within them.
  assert.equal(project((k) => 5_800 + 200 * (k - 1)).exhaustedAt, new Date(asOf + 29 * DAY).toISOString());
  // Rising: never.
  assert.equal(project((k) => 6_000 - 100 * (k - 1)).exhaustedAt, null);
});
