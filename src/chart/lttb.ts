/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): picks `threshold` indices of a
 * series that keep its visual shape (peaks included). The charts pick the indices once,
 * from the total, and take the same indices from every stacked series, so the stack
 * stays aligned.
 */
export function lttbIndices(values: ArrayLike<number>, threshold: number): number[] {
  const n = values.length;
  if (threshold >= n || threshold < 3) return Array.from({ length: n }, (_, i) => i);
  const picked: number[] = [0];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    // The average of the next bucket is the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += j;
      avgY += values[j]!;
    }
    const count = nextEnd - nextStart;
    avgX /= count;
    avgY /= count;
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const ay = values[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((a - avgX) * (values[j]! - ay) - (a - j) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    picked.push(best);
    a = best;
  }
  picked.push(n - 1);
  return picked;
}
