/**
 * The rolling sums classification needs, kept incrementally: per user and resource type
 * the base and surplus consumed in `(t − 4h, t]` (exact instants), and per resource type
 * the organization's drawn surplus and consumed amount per minute (the per-minute rollup
 * the pool's `available(t)` and the weekly limits slide over).
 */
import { LIMITS, type ResourceType } from '../../src/api/contract.js';

const MINUTE = 60_000;
const MINUTES_PER_HOUR = 60;

/**
 * Sums per minute with hourly subtotals, so a 7-day range costs ~300 lookups, and the
 * last range summed kept with its total: a window sliding forward (ingest in time order)
 * costs the minutes it gained and lost, usually none.
 */
export class MinuteSums {
  readonly #minutes = new Map<number, number>();
  readonly #hours = new Map<number, number>();
  /** The last range summed and its total (kept current by `add`), or null. */
  #last: { first: number; last: number; total: number } | null = null;

  add(minute: number, value: number): void {
    if (value === 0) return;
    this.#minutes.set(minute, (this.#minutes.get(minute) ?? 0) + value);
    const hour = Math.floor(minute / MINUTES_PER_HOUR);
    this.#hours.set(hour, (this.#hours.get(hour) ?? 0) + value);
    const last = this.#last;
    if (last && minute >= last.first && minute <= last.last) last.total += value;
  }

  get(minute: number): number {
    return this.#minutes.get(minute) ?? 0;
  }

  /** Σ over minute indexes `[first, last]`. */
  sum(first: number, last: number): number {
    const known = this.#last;
    let total: number;
    if (known && first >= known.first && last >= known.last && first <= known.last + 1) {
      total = known.total - this.#sum(known.first, first - 1) + this.#sum(known.last + 1, last);
    } else {
      total = this.#sum(first, last);
    }
    this.#last = { first, last, total };
    return total;
  }

  #sum(first: number, last: number): number {
    let total = 0;
    let m = first;
    while (m <= last) {
      if (m % MINUTES_PER_HOUR === 0 && m + MINUTES_PER_HOUR - 1 <= last) {
        total += this.#hours.get(m / MINUTES_PER_HOUR) ?? 0;
        m += MINUTES_PER_HOUR;
      } else {
        total += this.#minutes.get(m) ?? 0;
        m += 1;
      }
    }
    return total;
  }

  /** The first minute index in `[first, last]` with a value, or null. */
  firstWithValue(first: number, last: number): number | null {
    let m = first;
    while (m <= last) {
      if (m % MINUTES_PER_HOUR === 0 && !this.#hours.get(m / MINUTES_PER_HOUR)) {
        m += MINUTES_PER_HOUR;
        continue;
      }
      if (this.#minutes.get(m)) return m;
      m += 1;
    }
    return null;
  }

  /** Forgets minutes before `minute`. */
  prune(minute: number): void {
    if (this.#last && this.#last.first < minute) this.#last = null;
    for (const key of this.#minutes.keys()) if (key < minute) this.#minutes.delete(key);
    const hour = Math.floor(minute / MINUTES_PER_HOUR);
    for (const key of this.#hours.keys()) if (key < hour) this.#hours.delete(key);
  }
}

/** One user's consumption of one resource type, ordered by created, with prefix sums. */
class UserSeries {
  #times: number[] = [];
  #base: number[] = [];
  #surplus: number[] = [];
  /** #basePrefix[i] = Σ base parts of the entries before i (length = entries + 1). */
  #basePrefix: number[] = [0];
  #surplusPrefix: number[] = [0];

  add(created: number, base: number, surplus: number): void {
    const at = upperBound(this.#times, created);
    if (at === this.#times.length) {
      this.#times.push(created);
      this.#base.push(base);
      this.#surplus.push(surplus);
      this.#basePrefix.push(this.#basePrefix[at]! + base);
      this.#surplusPrefix.push(this.#surplusPrefix[at]! + surplus);
      return;
    }
    // Backdated ingest: insert in place and redo the prefix sums after it.
    this.#times.splice(at, 0, created);
    this.#base.splice(at, 0, base);
    this.#surplus.splice(at, 0, surplus);
    this.#basePrefix.length = at + 1;
    this.#surplusPrefix.length = at + 1;
    for (let i = at; i < this.#times.length; i++) {
      this.#basePrefix.push(this.#basePrefix[i]! + this.#base[i]!);
      this.#surplusPrefix.push(this.#surplusPrefix[i]! + this.#surplus[i]!);
    }
  }

  /** Σ base, Σ surplus and the oldest instant over `(from, to]`. */
  window(from: number, to: number): { base: number; surplus: number; oldest: number | null } {
    const lo = upperBound(this.#times, from);
    const hi = upperBound(this.#times, to);
    return {
      base: this.#basePrefix[hi]! - this.#basePrefix[lo]!,
      surplus: this.#surplusPrefix[hi]! - this.#surplusPrefix[lo]!,
      oldest: lo < hi ? this.#times[lo]! : null,
    };
  }

  /** Forgets entries at or before `before`; true when nothing is left. */
  prune(before: number): boolean {
    const cut = upperBound(this.#times, before);
    if (cut > 0) {
      this.#times.splice(0, cut);
      this.#base.splice(0, cut);
      this.#surplus.splice(0, cut);
      this.#basePrefix.splice(0, cut);
      this.#surplusPrefix.splice(0, cut);
    }
    return this.#times.length === 0;
  }
}

/** What one classification reads: the user's window, the pool and the rolling 7 days. */
export interface WindowReading {
  userBase: number;
  userSurplus: number;
  poolDrawn: number;
  /** Σ amount of the organization in the rolling 7 days (the weekly token and storage limits). */
  weekUsed: number;
}

/** The oldest consumption each window holds: when it leaves, the window frees up. */
export interface WindowOldest {
  user: number | null;
  pool: number | null;
  week: number | null;
}

/**
 * A minute's events one by one, as flat `[created, amount, …]` in created order: where a
 * 7-day window's edge falls inside a minute, the part of the minute it holds.
 */
type MinuteDetail = number[];
const NONE: MinuteDetail = [];

/** Reads an organization's stored events of a type in one minute (`minute` its start, ms), for a minute known only by its sum. */
export type MinuteLoader = (type: ResourceType, minute: number) => Iterable<readonly [created: number, amount: number]>;

/**
 * The rolling windows of one organization. The pool's window is read at minute resolution
 * (DESIGN.md: a sliding sum over 240 minutes); the user's windows and the rolling 7 days
 * exactly, `(t − 7d, t]`: the minutes wholly inside from the per-minute sums, the two
 * minutes its edges fall in from their events one by one. A minute added as a sum
 * (`addMinute`: a store's rollup) has its events read by `loadMinute` when an edge needs
 * them, or given by `setMinuteDetail`.
 */
export class UsageWindows {
  /** Per type, per user (nested maps: no key string to make and hash per event). */
  readonly #users = new Map<ResourceType, Map<string, UserSeries>>();
  readonly #drawn = new Map<ResourceType, MinuteSums>();
  readonly #amount = new Map<ResourceType, MinuteSums>();
  /** Per type, each minute's events one by one; null for a minute known only by its sum. */
  readonly #detail = new Map<ResourceType, Map<number, MinuteDetail | null>>();
  readonly #loadMinute: MinuteLoader | undefined;

  constructor(loadMinute?: MinuteLoader) {
    this.#loadMinute = loadMinute;
  }

  #minuteSums(map: Map<ResourceType, MinuteSums>, type: ResourceType): MinuteSums {
    let sums = map.get(type);
    if (!sums) {
      sums = new MinuteSums();
      map.set(type, sums);
    }
    return sums;
  }

  #details(type: ResourceType): Map<number, MinuteDetail | null> {
    let details = this.#detail.get(type);
    if (!details) {
      details = new Map();
      this.#detail.set(type, details);
    }
    return details;
  }

  #series(userId: string, type: ResourceType): UserSeries | undefined {
    return this.#users.get(type)?.get(userId);
  }

  /** Records a classified event. */
  add(userId: string, type: ResourceType, created: number, amount: number, surplusAmount: number): void {
    let ofType = this.#users.get(type);
    if (!ofType) {
      ofType = new Map();
      this.#users.set(type, ofType);
    }
    let series = ofType.get(userId);
    if (!series) {
      series = new UserSeries();
      ofType.set(userId, series);
    }
    series.add(created, amount - surplusAmount, surplusAmount);
    const minute = Math.floor(created / MINUTE);
    this.#minuteSums(this.#drawn, type).add(minute, surplusAmount);
    this.#minuteSums(this.#amount, type).add(minute, amount);
    const details = this.#details(type);
    const detail = details.get(minute);
    if (detail === undefined) details.set(minute, [created, amount]);
    else if (detail !== null) insertPair(detail, created, amount);
  }

  /**
   * Records the organization's sums of one minute (`at`, an instant inside it) without its
   * events: the users' windows do not see them, and an edge of the 7 days inside that
   * minute reads its events through `loadMinute`.
   */
  addMinute(type: ResourceType, at: number, amount: number, drawn: number): void {
    const minute = Math.floor(at / MINUTE);
    this.#minuteSums(this.#drawn, type).add(minute, drawn);
    this.#minuteSums(this.#amount, type).add(minute, amount);
    if (amount !== 0) this.#details(type).set(minute, null);
  }

  /** Gives every stored event of a minute (`at` inside it) one by one, for a minute added as a sum. */
  setMinuteDetail(type: ResourceType, at: number, events: Iterable<readonly [created: number, amount: number]>): void {
    const detail: MinuteDetail = [];
    for (const [created, amount] of events) insertPair(detail, created, amount);
    this.#details(type).set(Math.floor(at / MINUTE), detail);
  }

  /** The events of a minute one by one, loaded if need be; null when only its sum is known. */
  #detailOf(type: ResourceType, minute: number): MinuteDetail | null {
    const details = this.#details(type);
    const detail = details.get(minute);
    // None recorded: nothing happened in that minute (an added minute always leaves a mark).
    if (detail !== null) return detail ?? NONE;
    if (!this.#loadMinute) return null;
    this.setMinuteDetail(type, minute * MINUTE, this.#loadMinute(type, minute * MINUTE));
    return details.get(minute)!;
  }

  /** Set by `#week`: the oldest event of some amount in its old edge's minute, if any. */
  #weekOldest: number | null = null;

  /** Σ amount of the organization in `(t − 7d, t]` (no object made: read once per ingested event). */
  #week(type: ResourceType, t: number): number {
    const sums = this.#minuteSums(this.#amount, type);
    const edge = t - LIMITS.weekMs;
    const first = Math.floor(edge / MINUTE);
    const last = Math.floor(t / MINUTE);
    let used = sums.sum(first + 1, last - 1);
    let oldest: number | null = null;
    // The minute of the old edge: its events after the edge (without them, none of it).
    const old = this.#detailOf(type, first);
    if (old) {
      for (let i = old.length - 2; i >= 0 && old[i]! > edge; i -= 2) {
        used += old[i + 1]!;
        if (old[i + 1]) oldest = old[i]!;
      }
    }
    // The minute of t: its events up to t (without them, all of it).
    const newest = sums.get(last);
    if (newest) {
      const detail = this.#detailOf(type, last);
      used += newest;
      if (detail) for (let i = detail.length - 2; i >= 0 && detail[i]! > t; i -= 2) used -= detail[i + 1]!;
    }
    this.#weekOldest = oldest;
    return used;
  }

  #span(t: number): { minute: number; poolFirst: number } {
    const minute = Math.floor(t / MINUTE);
    return { minute, poolFirst: minute - LIMITS.windowMs / MINUTE + 1 };
  }

  /** The sums at instant `t` for a user and resource type. */
  read(userId: string, type: ResourceType, t: number): WindowReading {
    const user = this.#series(userId, type)?.window(t - LIMITS.windowMs, t);
    const { minute, poolFirst } = this.#span(t);
    return {
      userBase: user?.base ?? 0,
      userSurplus: user?.surplus ?? 0,
      poolDrawn: this.#minuteSums(this.#drawn, type).sum(poolFirst, minute),
      weekUsed: this.#week(type, t),
    };
  }

  /** The oldest consumption in each window at `t` (only a refusal needs it). */
  oldest(userId: string, type: ResourceType, t: number): WindowOldest {
    const { minute, poolFirst } = this.#span(t);
    const pool = this.#minuteSums(this.#drawn, type).firstWithValue(poolFirst, minute);
    this.#week(type, t);
    let week = this.#weekOldest;
    if (week === null) {
      const edge = Math.floor((t - LIMITS.weekMs) / MINUTE);
      const found = this.#minuteSums(this.#amount, type).firstWithValue(edge + 1, minute);
      // Its first event of some amount when known one by one, else the minute's start.
      const detail = found === null ? null : this.#detailOf(type, found);
      const i = detail ? detail.findIndex((value, j) => j % 2 === 1 && value > 0) : -1;
      week = found === null ? null : i > 0 ? detail![i - 1]! : found * MINUTE;
    }
    return {
      user: this.#series(userId, type)?.window(t - LIMITS.windowMs, t).oldest ?? null,
      pool: pool === null ? null : pool * MINUTE,
      week,
    };
  }

  /** Forgets what no classification at or after `t` can read. */
  prune(t: number): void {
    const userCut = t - LIMITS.windowMs;
    for (const ofType of this.#users.values()) for (const [userId, series] of ofType) if (series.prune(userCut)) ofType.delete(userId);
    const minuteCut = Math.floor((t - LIMITS.weekMs) / MINUTE);
    for (const sums of this.#drawn.values()) sums.prune(minuteCut);
    for (const sums of this.#amount.values()) sums.prune(minuteCut);
    for (const details of this.#detail.values()) for (const minute of details.keys()) if (minute < minuteCut) details.delete(minute);
  }
}

/** Inserts `[created, amount]` into a flat list in created order (at its end, as ingest mostly does). */
function insertPair(detail: MinuteDetail, created: number, amount: number): void {
  let at = detail.length;
  while (at > 0 && detail[at - 2]! > created) at -= 2;
  if (at === detail.length) detail.push(created, amount);
  else detail.splice(at, 0, created, amount);
}

function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
