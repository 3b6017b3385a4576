// The surplus pool's `available` step function against its definition minute by minute:
// capacity at the minute less the surplus drawn over the 240 minutes up to it (repeated
// minutes, minutes before the first, limit versions changing the capacity, unsorted input).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../seed/prng.js';
import type { MinuteDrawn, OrganizationLimits } from '../store/types.js';
import { AvailableSteps, capacityAt } from './surplus.js';

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
