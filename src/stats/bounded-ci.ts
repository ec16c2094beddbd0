/**
 * A confidence interval of the mean of a few values (one figure per fresh
 * process, with --repeat) that can never leave the range of the data: a
 * seeded percentile bootstrap of the mean. A Student t interval on three
 * skewed values printed "0.25 ms [95% CI -0.0644..0.564]"; a resampled mean is
 * a mean of the values, so it stays between their minimum and maximum.
 */
import { createPrng } from '../random/prng.js';
import { assertFiniteSamples, quantile } from './quantile.js';
import { BOOTSTRAP_DEFAULT_ITERATIONS, BOOTSTRAP_DEFAULT_SEED } from './bootstrap.js';

/** Below this many values a bootstrap interval is mostly the values themselves: we say so instead. */
export const MIN_VALUES_FOR_INTERVAL = 3;

export type BoundedMeanCI =
  | { mean: number; n: number; low: number; high: number }
  | { mean: number; n: number; tooFew: string };

/**
 * @param values one figure per repetition, any unit; bounds have the same unit
 * @param confidence two-sided coverage in (0, 1), default 0.95
 */
export function boundedMeanCI(values: readonly number[], confidence = 0.95, seed = BOOTSTRAP_DEFAULT_SEED): BoundedMeanCI {
  assertFiniteSamples(values, 'boundedMeanCI');
  const n = values.length;
  if (n === 0) throw new Error('boundedMeanCI: needs at least one value, got an empty array');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < MIN_VALUES_FOR_INTERVAL) {
    return { mean, n, tooFew: `${n} value${n === 1 ? '' : 's'} give no interval: needs at least ${MIN_VALUES_FOR_INTERVAL} (raise --repeat)` };
  }
  const prng = createPrng(seed);
  const means = new Float64Array(BOOTSTRAP_DEFAULT_ITERATIONS);
  for (let it = 0; it < means.length; it++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[prng.int(0, n)];
    means[it] = sum / n;
  }
  means.sort();
  const sorted = Array.from(means);
  const alphaHalf = (1 - confidence) / 2;
  // A sum of n equal values divided by n can round one ulp outside them: clamp to the data.
  const min = Math.min(...values);
  const max = Math.max(...values);
  const clamp = (x: number) => Math.min(max, Math.max(min, x));
  return { mean, n, low: clamp(quantile(sorted, alphaHalf)), high: clamp(quantile(sorted, 1 - alphaHalf)) };
}
