// The rolling sums classification reads: MinuteSums against a plain sum over its minutes,
// through the sliding ranges ingest asks for (forward, in place, backwards, jumps), adds
// inside and outside the last range, and prunes (reads never reach before a prune).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../seed/prng.js';
import { MinuteSums, UsageWindows } from './windows.js';

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

test('UsageWindows: the rolling 7 days are (t − 7d, t] to the millisecond, from events, from minute sums with a loader, and from given minutes', () => {
  const random = new Random('week-edges');
  const WEEK = 7 * 86_400_000;
  const start = Date.parse('2026-03-01T00:00:00Z');
  const events: [created: number, amount: number][] = [];
  for (let i = 0; i < 3_000; i++) events.push([start + random.int(0, 9 * 86_400_000), random.chance(0.1) ? 0 : random.int(1, 500)]);
  // Clusters inside single minutes, where the edges fall.
  for (let i = 0; i < 40; i++) {
    const minute = Math.floor((start + random.int(0, 9 * 86_400_000)) / 60_000) * 60_000;
    for (let j = 0; j < 5; j++) events.push([minute + random.int(0, 59_999), random.int(1, 500)]);
  }
  events.sort((a, b) => a[0] - b[0]);
  const plain = (t: number): { used: number; oldest: number | null } => {
    const inside = events.filter(([created]) => created > t - WEEK && created <= t);
    return { used: inside.reduce((total, [, amount]) => total + amount, 0), oldest: inside.find(([, amount]) => amount > 0)?.[0] ?? null };
  };
  const minuteOf = (t: number): number => Math.floor(t / 60_000) * 60_000;
  // One by one (the memory store); minute sums and a loader (the embedded store's rollup);
  // minute sums with the edges' minutes given (the PostgreSQL store).
  const raw = new UsageWindows();
  for (const [created, amount] of events) raw.add('u', 'tokens', created, amount, 0);
  let loads = 0;
  const summed = new UsageWindows((_, minute) => {
    loads++;
    return events.filter(([created]) => minuteOf(created) === minute);
  });
  const given = new UsageWindows();
  const byMinute = new Map<number, number>();
  for (const [created, amount] of events) byMinute.set(minuteOf(created), (byMinute.get(minuteOf(created)) ?? 0) + amount);
  for (const [minute, amount] of byMinute) {
    summed.addMinute('tokens', minute, amount, 0);
    given.addMinute('tokens', minute, amount, 0);
  }
  for (let step = 0; step < 300; step++) {
    // Often right at an event or a millisecond beside it, where the edges matter.
    const [at] = events[random.int(0, events.length - 1)]!;
    const t = (random.chance(0.5) ? at + WEEK : at) + random.int(-1, 1);
    const expected = plain(t);
    for (const m of [minuteOf(t - WEEK), minuteOf(t)]) given.setMinuteDetail('tokens', m, events.filter(([created]) => minuteOf(created) === m));
    for (const [name, windows] of [['events', raw], ['minute sums and a loader', summed], ['given minutes', given]] as const) {
      assert.equal(windows.read('u', 'tokens', t).weekUsed, expected.used, `${name}: used at ${new Date(t).toISOString()}`);
      if (name !== 'given minutes') assert.equal(windows.oldest('u', 'tokens', t).week, expected.oldest, `${name}: oldest at ${new Date(t).toISOString()}`);
    }
  }
  assert.ok(loads > 0 && loads < 700, `each edge minute loaded once (${loads})`);
});
