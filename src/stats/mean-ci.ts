/** Student t interval of a mean, for the spread of medians across repeated trials (--repeat). */
import { mean, sampleStddev } from './summary.js';
import { assertFiniteSamples } from './quantile.js';
import { studentTCritical } from './student-t.js';

/**
 * Mean with its Student t confidence interval; assumes roughly normal values,
 * which medians of repeated trials are. With a single value the interval is
 * unbounded (low -Infinity, high Infinity) and stddev is 0: one run says
 * nothing about the spread.
 * @param values any unit; the outputs share it
 * @param confidence two-sided coverage in (0, 1), default 0.95
 * @returns mean, interval bounds and sample standard deviation (n - 1), in the unit of `values`
 */
export function meanCI(values: readonly number[], confidence = 0.95): { mean: number; low: number; high: number; stddev: number } {
  assertFiniteSamples(values, 'meanCI(values)');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`meanCI: confidence must be in (0, 1), got ${confidence}`);
  const m = mean(values);
  const n = values.length;
  if (n < 2) return { mean: m, low: -Infinity, high: Infinity, stddev: 0 };
  const stddev = sampleStddev(values);
  const halfWidth = (studentTCritical(confidence, n - 1) * stddev) / Math.sqrt(n);
  return { mean: m, low: m - halfWidth, high: m + halfWidth, stddev };
}
