import { expect } from '@open-wc/testing';
import type { FiltersContextValue } from './context.js';
import { DEFAULT_FILTER_STATE } from './state.js';
import { FilterStore, LIVE_ROLL_MS } from './store.js';

/** Runs `act` with setInterval recorded (not run) and Date.now under the test's control. */
async function withClock(act: (clock: { intervals: { run: () => void; ms: number }[]; advance: (ms: number) => void }) => Promise<void> | void): Promise<void> {
  const realInterval = globalThis.setInterval;
  const realNow = Date.now;
  let now = Date.parse('2026-03-10T12:00:30.000Z');
  const intervals: { run: () => void; ms: number }[] = [];
  globalThis.setInterval = ((run: () => void, ms: number) => 1e9 + intervals.push({ run, ms })) as unknown as typeof setInterval;
  Date.now = () => now;
  try {
    await act({ intervals, advance: (ms) => (now += ms) });
  } finally {
    globalThis.setInterval = realInterval;
    Date.now = realNow;
  }
}

describe('FilterStore', () => {
  it('while live and shown, resolves a rolling preset again every 10 minutes; not when not live', async () => {
    await withClock(({ intervals, advance }) => {
      const store = new FilterStore({ ...DEFAULT_FILTER_STATE, range: { preset: '24h' } }, { timeZone: 'UTC', live: true });
      const seen: FiltersContextValue[] = [];
      const unsubscribe = store.subscribe((value) => seen.push(value));
      expect(intervals.map((i) => i.ms)).to.deep.equal([LIVE_ROLL_MS]);
      expect(store.value.to).to.equal('2026-03-10T12:01:00.000Z');
      advance(LIVE_ROLL_MS);
      intervals[0]!.run();
      expect(seen).to.have.length(1);
      expect([seen[0]!.from, seen[0]!.to]).to.deep.equal(['2026-03-09T12:11:00.000Z', '2026-03-10T12:11:00.000Z']);
      unsubscribe();

      // Not live: nothing rolls (the range resolves on a change, or on return to a hidden page).
      const still = new FilterStore({ ...DEFAULT_FILTER_STATE, range: { preset: '24h' } }, { timeZone: 'UTC' });
      still.subscribe(() => {});
      expect(intervals).to.have.length(1);
    });
  });

  it('rolls nothing of a custom range (it is published only when it moves)', async () => {
    await withClock(({ intervals, advance }) => {
      const store = new FilterStore({ ...DEFAULT_FILTER_STATE, range: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' } }, { timeZone: 'UTC', live: true });
      const seen: FiltersContextValue[] = [];
      store.subscribe((value) => seen.push(value));
      advance(LIVE_ROLL_MS);
      intervals[0]!.run();
      expect(seen).to.deep.equal([]);
    });
  });
});
