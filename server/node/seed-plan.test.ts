/** The seed's traffic model (server/seed/traffic.ts; its folder is browser-safe, so its test lives here): the request plan: inside the range, ascending, and never piled onto one instant. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_ORG } from '../seed/seed.js';
import { Random } from '../seed/prng.js';
import { TrafficModel } from '../seed/traffic.js';

test('a plan ending mid-minute spreads that minute over what is left of it', () => {
  const model = new TrafficModel({ ...DEMO_ORG, users: 60 });
  const from = Date.parse('2026-03-10T09:00:00.000Z');
  for (const to of [from + 10 * 60_000 + 350, from + 10 * 60_000 + 45_123, from + 3_600_000 + 1]) {
    const times = model.plan(from, to, 2_000, new Random(`plan:${to}`));
    assert.equal(times.length, 2_000);
    for (let i = 0; i < times.length; i++) {
      assert.ok(times[i]! >= from && times[i]! < to, `time ${i} outside the range`);
      if (i > 0) assert.ok(times[i]! >= times[i - 1]!, 'ascending');
    }
    const atLast = times.filter((t) => t === to - 1).length;
    assert.ok(atLast <= 2, `${atLast} requests piled onto the range's last instant`);
  }
});
