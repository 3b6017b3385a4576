/**
 * What the text summary and the spike marks say about a series of bucket values: the
 * total, the peak and where it is, the trend, and which buckets stand far above the
 * period's typical level; and a group's share of the total (the summary and the legend).
 */

import { numberFormat } from '../format/intl-cache.js';

export interface SeriesStats {
  total: number;
  /** Index of the largest bucket (the first of equals); -1 for an empty series. */
  peakIndex: number;
  peak: number;
  /**
   * The change of the second half's rate over the first half's, as a fraction (0.12 for
   * +12 %); null when the first half is all zero or the series has under 2 buckets.
   */
  trend: number | null;
}

/** The time each bucket covers inside a range from `from`: a partial first or last bucket less than its unit. */
export function coveredSpans(starts: readonly number[], ends: readonly number[], from: number): number[] {
  return starts.map((start, i) => ends[i]! - Math.max(start, from));
}

/**
 * The series' total, peak and trend. With `spans` (the time each bucket covers), the halves
 * are compared per unit of time: a last week the range covers an hour of read as a fall of
 * 32 % where the rate had not changed, and a day's first hours as +6,214 %.
 */
export function seriesStats(values: readonly number[], spans?: readonly number[]): SeriesStats {
  let total = 0;
  let peakIndex = -1;
  let peak = 0;
  values.forEach((value, i) => {
    total += value;
    if (peakIndex < 0 || value > peak) {
      peak = value;
      peakIndex = i;
    }
  });
  let trend: number | null = null;
  const half = Math.floor(values.length / 2);
  if (half > 0) {
    const rate = (from: number, to: number): number => {
      let amount = 0;
      let time = 0;
      for (let i = from; i < to; i++) {
        amount += values[i]!;
        time += spans?.[i] ?? 1;
      }
      return time > 0 ? amount / time : 0;
    };
    const first = rate(0, half);
    const second = rate(values.length - half, values.length);
    if (first > 0) trend = (second - first) / first;
  }
  return { total, peakIndex, peak, trend };
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** At most this many spikes are marked: the largest, so the marks stay meaningful. */
export const MAX_SPIKES = 5;

/**
 * With `phases` (each bucket's hour of the day), a bucket must also be far above the usual
 * at its hour: above both twice its hour's median and that median plus 5 robust standard
 * deviations of every bucket's distance from its own hour's median. Under a daily rhythm
 * the busy hours are far above the day's median every weekday: each weekday noon was
 * marked a spike. Null (the rule alone) when an hour has fewer than 3 buckets.
 */
function phaseThresholds(values: readonly number[], phases: readonly number[]): number[] | null {
  const byPhase = new Map<number, number[]>();
  phases.forEach((phase, i) => {
    const list = byPhase.get(phase) ?? [];
    list.push(values[i]!);
    byPhase.set(phase, list);
  });
  if ([...byPhase.values()].some((list) => list.length < 3)) return null;
  const base = new Map([...byPhase].map(([phase, list]) => [phase, median(list.sort((a, b) => a - b))]));
  const usual = (i: number) => base.get(phases[i]!)!;
  const spread = 1.4826 * median(values.map((v, i) => Math.abs(v - usual(i))).sort((a, b) => a - b));
  return values.map((_, i) => Math.max(2 * usual(i), usual(i) + 5 * spread));
}

/**
 * The buckets far above the period's typical level: above both 3× the median and the
 * median plus 5 robust standard deviations (1.4826 × the median absolute deviation), the
 * largest `MAX_SPIKES` of them, in index order. Typical is measured over the non-empty
 * buckets, so a sparse series (one user's) does not call every busy bucket a spike; at
 * least 8 of them are needed for a typical level to mean anything. One spike is one
 * episode: a bucket within a thirtieth of the series (at least the next one) of a larger
 * spike is part of it and not marked again (two marks would overlap on the plot).
 */
export function findSpikes(values: readonly number[], phases?: readonly number[]): number[] {
  const busy = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (busy.length < 8) return [];
  const typical = median(busy);
  const spread = 1.4826 * median(busy.map((v) => Math.abs(v - typical)).sort((a, b) => a - b));
  const threshold = Math.max(3 * typical, typical + 5 * spread);
  const usual = phases ? phaseThresholds(values, phases) : null;
  const near = Math.max(1, Math.floor(values.length / 30));
  const spikes: number[] = [];
  for (const { index } of values
    .map((value, index) => ({ value, index }))
    .filter((p) => p.value > threshold && (!usual || p.value > usual[p.index]!))
    .sort((a, b) => b.value - a.value || a.index - b.index)) {
    if (spikes.length < MAX_SPIKES && spikes.every((spike) => Math.abs(spike - index) > near)) spikes.push(index);
  }
  return spikes.sort((a, b) => a - b);
}

/**
 * A part's share of a whole as a whole percentage in the locale ("79%"): a non-zero share
 * that would round to 0 reads "<1%", and one short of the whole that would round to 100
 * reads ">99%", so that neither a small spender nor the rest disappears.
 */
export function formatShare(part: number, whole: number, locale: string | undefined, percents = whole > 0 ? Math.round((100 * part) / whole) : 0): string {
  const percent = numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  if (part > 0 && percents < 1) return `<${percent.format(0.01)}`;
  if (part < whole && percents > 99) return `>${percent.format(0.99)}`;
  return percent.format(percents / 100);
}

/**
 * The shares of parts that make up a whole, rounded together (largest remainder) so that
 * they add up to 100%: rounded one by one, 11 + 10 + … + 48 made 101%. Parts that do not
 * add up to the whole are rounded one by one.
 */
export function formatShares(parts: readonly number[], whole: number, locale: string | undefined): string[] {
  // Parts that do not add up to the whole are rounded one by one (formatShare's own).
  if (whole <= 0 || parts.reduce((sum, part) => sum + part, 0) !== whole) return parts.map((part) => formatShare(part, whole, locale));
  const exact = parts.map((part) => (100 * part) / whole);
  const percents = exact.map(Math.floor);
  let left = 100 - percents.reduce((sum, p) => sum + p, 0);
  for (const i of exact.map((_, i) => i).sort((a, b) => (exact[b]! % 1) - (exact[a]! % 1))) if (left-- > 0) percents[i]!++;
  return parts.map((part, i) => formatShare(part, whole, locale, percents[i]));
}
