// The rolling sums classification reads: MinuteSums against a plain sum over its minutes,
// through the sliding ranges ingest asks for (forward, in place, backwards, jumps), adds
// inside and outside the last range, and prunes (reads never reach before a prune).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../seed/prng.js';
import { MinuteSums } from './windows.js';

test('MinuteSums: every sum equals the plain sum of its minutes, however the range moves', () => {
  const random = new Random('minute-sums');
  const sums = new MinuteSums();
  const plain = new Map<number, number>();
  let pruned = -Infinity;
  const expected = (first: number, last: number): number => {
    let total = 0;
    for (const [minute, value] of plain) if (minute >= first && minute <= last) total += value;
    return total;
  };
  const width = 240;
  let at = 10_000;
  for (let step = 0; step < 5_000; step++) {
    const roll = random.int(0, 99);
    if (roll < 45) {
      // An event near the window's end, or backdated into (or before) it.
      const minute = at - (random.chance(0.2) ? random.int(0, 2 * width) : random.int(0, 2));
      const value = random.int(1, 1_000);
      sums.add(minute, value);
      plain.set(minute, (plain.get(minute) ?? 0) + value);
    } else if (roll < 47) {
      pruned = Math.max(pruned, at - random.int(width, 3 * width));
      sums.prune(pruned);
      for (const minute of plain.keys()) if (minute < pruned) plain.delete(minute);
    } else {
      // Mostly forward by 0–2 minutes, sometimes back or a jump ahead.
      // Never before what was pruned (classification reads no further back than it keeps).
      at += roll < 90 ? random.int(0, 2) : roll < 95 ? -random.int(1, 300) : random.int(60, 1_000);
      at = Math.max(at, pruned + width - 1);
      const first = at - width + 1;
      assert.equal(sums.sum(first, at), expected(first, at), `step ${step}: [${first}, ${at}] pruned ${pruned}`);
    }
  }
});
