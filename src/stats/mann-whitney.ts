/** Mann-Whitney U test: did two configurations' latencies come from the same distribution? */
import { assertFiniteSamples } from './quantile.js';
import { normalSf } from './normal.js';

/**
 * Two-sided Mann-Whitney U test by the normal approximation, with the tie
 * correction of the variance and a continuity correction of 0.5 (the
 * convention of scipy's `mannwhitneyu(..., method='asymptotic')`).
 * @returns u: U statistic of `a` (pairs with a > b, ties counting 1/2), unitless;
 *   z: signed standard score, positive when `a` tends to be larger;
 *   pValue: two-sided p-value in [0, 1]
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): { u: number; z: number; pValue: number } {
  assertFiniteSamples(a, 'mannWhitney(a)');
  assertFiniteSamples(b, 'mannWhitney(b)');
  const n1 = a.length;
  const n2 = b.length;
  const n = n1 + n2;
  const pooled = [...a.map((v) => ({ v, fromA: true })), ...b.map((v) => ({ v, fromA: false }))].sort((x, y) => x.v - y.v);
  // Mid-ranks for ties, and the sum of t^3 - t over tie groups for the variance.
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && pooled[j + 1].v === pooled[i].v) j++;
    const midRank = (i + j + 2) / 2;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (pooled[k].fromA) rankSumA += midRank;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const meanU = (n1 * n2) / 2;
  const varU = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(varU > 0)) return { u, z: 0, pValue: 1 };
  const d = u - meanU;
  const z = (Math.sign(d) * Math.max(Math.abs(d) - 0.5, 0)) / Math.sqrt(varU);
  const pValue = Math.min(1, 2 * normalSf(Math.abs(z)));
  return { u, z, pValue };
}
