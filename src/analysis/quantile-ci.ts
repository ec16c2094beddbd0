/**
 * A distribution-free confidence interval for a quantile from order
 * statistics (normal approximation to the binomial). We need it because the
 * recommendation ranks by p99, and the median's CI says nothing about the tail.
 */
import { normalQuantile } from '../stats/index.js';

/** `sortedAsc` ascending. Undefined when there are too few samples for the interval to exist. */
export function quantileCI(sortedAsc: readonly number[], q: number, confidence = 0.95): { low: number; high: number } | undefined {
  const n = sortedAsc.length;
  if (n === 0) return undefined;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const spread = z * Math.sqrt(n * q * (1 - q));
  const lowRank = Math.floor(n * q - spread); // 1-based ranks
  const highRank = Math.ceil(n * q + spread) + 1;
  if (lowRank < 1 || highRank > n) return undefined;
  return { low: sortedAsc[lowRank - 1], high: sortedAsc[highRank - 1] };
}

/** Samples needed before quantileCI can give an interval for `q`. */
export function samplesNeededForQuantileCI(q: number, confidence = 0.95): number {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  for (let n = 2; n <= 200_000; n++) {
    const spread = z * Math.sqrt(n * q * (1 - q));
    if (Math.floor(n * q - spread) >= 1 && Math.ceil(n * q + spread) + 1 <= n) return n;
  }
  return Infinity;
}
