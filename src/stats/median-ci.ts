/**
 * Distribution-free confidence interval of the median from order statistics:
 * the number of samples below the true median is Binomial(n, 1/2), whatever
 * the latency distribution, so [x(k), x(n-k+1)] covers it with probability
 * 1 - 2 P(B <= k-1). Latency samples are skewed and heavy-tailed, which is why
 * a normal-theory interval is not used here.
 */
import { normalQuantile } from './normal.js';

/** Up to this n the binomial tail is summed exactly; beyond it the normal approximation is within one rank. */
export const EXACT_BINOMIAL_MAX_N = 5000;

/** Slack on the tail comparison so a tail exactly equal to alpha/2 is not lost to rounding. */
const TAIL_TOLERANCE = 1e-9;

/**
 * The largest k (1-based rank) whose interval [x(k), x(n-k+1)] reaches the
 * confidence; 0 when even [min, max] does not.
 */
export function medianCIRank(n: number, confidence: number): number {
  const alphaHalf = (1 - confidence) / 2;
  const limit = alphaHalf * (1 + TAIL_TOLERANCE);
  if (n > EXACT_BINOMIAL_MAX_N) {
    // P(B <= k-1) ~ Phi((k - 1/2 - n/2) / (sqrt(n)/2)), with continuity correction.
    const z = normalQuantile(1 - alphaHalf);
    return Math.max(0, Math.floor(n / 2 + 0.5 - (z * Math.sqrt(n)) / 2));
  }
  // Terms C(n, j) / 2^n built in log space: 2^-n underflows beyond n = 1074.
  let logTerm = -n * Math.LN2;
  let cdf = 0;
  let k = 0;
  for (let j = 0; j <= n; j++) {
    if (j > 0) logTerm += Math.log(n - j + 1) - Math.log(j);
    cdf += Math.exp(logTerm);
    if (cdf > limit) break;
    k = j + 1;
  }
  return k;
}

/**
 * Confidence interval of the median of the population the samples come from.
 * Falls back to [min, max] when n is too small to reach the confidence
 * (n < 6 at 95%); that interval then covers less than asked.
 * @param sortedAsc samples sorted ascending, any unit; bounds have the same unit
 * @param confidence coverage probability in (0, 1), default 0.95
 */
export function medianCI(sortedAsc: readonly number[], confidence = 0.95): { low: number; high: number } {
  const n = sortedAsc.length;
  if (n === 0) throw new Error('medianCI: needs at least one value, got an empty array');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`medianCI: confidence must be in (0, 1), got ${confidence}`);
  const k = medianCIRank(n, confidence);
  if (k === 0) return { low: sortedAsc[0], high: sortedAsc[n - 1] };
  return { low: sortedAsc[k - 1], high: sortedAsc[n - k] };
}
