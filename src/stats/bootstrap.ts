/**
 * Percentile bootstraps: of a ratio of medians ("b is 1.23x slower than a, 95% CI 1.20-1.26"),
 * and of a ratio of sums over paired blocks (items over time).
 */
import { createPrng } from '../random/prng.js';
import type { Prng } from '../random/prng.js';
import { assertFiniteSamples, medianOfSorted, quantile, sortedCopy } from './quantile.js';

export const BOOTSTRAP_DEFAULT_ITERATIONS = 2000;
export const BOOTSTRAP_DEFAULT_SEED = 0x5eed;

/**
 * Median of one resample (with replacement) of `sortedAsc`, in O(n) without
 * sorting: draw indices into the sorted array, count how often each is drawn,
 * and walk the counts to the middle rank. `counts` is scratch of length n.
 */
function resampledMedian(sortedAsc: readonly number[], counts: Int32Array, prng: Prng): number {
  const n = sortedAsc.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[prng.int(0, n)]++;
  const lowRank = (n - 1) >>> 1;
  const highRank = n >>> 1;
  let seen = 0;
  let low = NaN;
  for (let j = 0; j < n; j++) {
    seen += counts[j];
    if (Number.isNaN(low) && seen > lowRank) low = sortedAsc[j];
    if (seen > highRank) return (low + sortedAsc[j]) / 2;
  }
  return low;
}

/**
 * Ratio of medians median(b) / median(a) with a percentile bootstrap CI.
 * Both samples are resampled independently with replacement; the same seed
 * gives the same interval on every machine.
 * @param a baseline samples (the denominator), any unit
 * @param b compared samples (the numerator), same unit as `a`
 * @param opts.iterations resamples, default 2000
 * @param opts.confidence two-sided coverage in (0, 1), default 0.95
 * @param opts.seed PRNG seed, default BOOTSTRAP_DEFAULT_SEED
 * @returns unitless ratios; Infinity or NaN when a median of `a` is 0
 */
export function bootstrapRatioCI(
  a: readonly number[], b: readonly number[],
  opts: { iterations?: number; confidence?: number; seed?: number } = {},
): { ratio: number; low: number; high: number } {
  assertFiniteSamples(a, 'bootstrapRatioCI(a)');
  assertFiniteSamples(b, 'bootstrapRatioCI(b)');
  const iterations = opts.iterations ?? BOOTSTRAP_DEFAULT_ITERATIONS;
  const confidence = opts.confidence ?? 0.95;
  if (!(Number.isInteger(iterations) && iterations >= 1)) {
    throw new RangeError(`bootstrapRatioCI: iterations must be an integer >= 1, got ${iterations}`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`bootstrapRatioCI: confidence must be in (0, 1), got ${confidence}`);
  const prng = createPrng(opts.seed ?? BOOTSTRAP_DEFAULT_SEED);
  const sortedA = sortedCopy(a);
  const sortedB = sortedCopy(b);
  const countsA = new Int32Array(a.length);
  const countsB = new Int32Array(b.length);
  const ratios = new Float64Array(iterations);
  for (let it = 0; it < iterations; it++) {
    const medianA = resampledMedian(sortedA, countsA, prng);
    ratios[it] = resampledMedian(sortedB, countsB, prng) / medianA;
  }
  ratios.sort(); // typed arrays sort numerically
  const sorted = Array.from(ratios);
  const alphaHalf = (1 - confidence) / 2;
  return {
    ratio: medianOfSorted(sortedB) / medianOfSorted(sortedA),
    low: quantile(sorted, alphaHalf),
    high: quantile(sorted, 1 - alphaHalf),
  };
}

/**
 * Ratio of sums sum(numerators) / sum(denominators) over paired blocks, with a seeded percentile
 * bootstrap CI: each resample draws blocks (with replacement) and keeps each block's pair together,
 * so the resampled figure is a ratio of sums, as the figure itself is (items over a window's time).
 * @param numerators per block, any unit; @param denominators per block, positive, paired with `numerators`
 * @returns the CI of the ratio, in numerator units per denominator unit
 */
export function bootstrapRatioOfSumsCI(
  numerators: readonly number[], denominators: readonly number[],
  opts: { iterations?: number; confidence?: number; seed?: number } = {},
): { low: number; high: number } {
  const n = numerators.length;
  if (n === 0 || denominators.length !== n) throw new RangeError(`bootstrapRatioOfSumsCI: needs paired, non-empty blocks, got ${n} and ${denominators.length}`);
  const iterations = opts.iterations ?? BOOTSTRAP_DEFAULT_ITERATIONS;
  const confidence = opts.confidence ?? 0.95;
  const prng = createPrng(opts.seed ?? BOOTSTRAP_DEFAULT_SEED);
  const ratios = new Float64Array(iterations);
  for (let it = 0; it < iterations; it++) {
    let num = 0;
    let den = 0;
    for (let k = 0; k < n; k++) {
      const j = prng.int(0, n);
      num += numerators[j];
      den += denominators[j];
    }
    ratios[it] = num / den;
  }
  ratios.sort(); // typed arrays sort numerically
  const sorted = Array.from(ratios);
  const alphaHalf = (1 - confidence) / 2;
  return { low: quantile(sorted, alphaHalf), high: quantile(sorted, 1 - alphaHalf) };
}
