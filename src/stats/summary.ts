/** One pass from raw latency samples to the LatencySummary stored in every ok result. */
import type { LatencySummary } from '../results/types.js';
import { medianCI } from './median-ci.js';
import { assertFiniteSamples, medianOfSorted, quantile } from './quantile.js';
import { mad, outlierCount } from './robust.js';

/** Confidence of the median's CI in LatencySummary (its fields say 95%). */
export const SUMMARY_CONFIDENCE = 0.95;

/** Arithmetic mean. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const x of values) sum += x;
  return sum / values.length;
}

/** Sample standard deviation (n - 1 in the denominator); 0 for a single value. */
export function sampleStddev(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  // Two passes: the one-pass sum-of-squares formula cancels badly when the spread is tiny against the mean.
  let ss = 0;
  for (const x of values) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (n - 1));
}

/**
 * Summary statistics of latency samples.
 * @param samplesMs latency samples in milliseconds, in any order; must be non-empty and finite
 */
export function summarize(samplesMs: readonly number[]): LatencySummary {
  assertFiniteSamples(samplesMs, 'summarize(samplesMs)');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const ci = medianCI(sorted, SUMMARY_CONFIDENCE);
  return {
    median: medianOfSorted(sorted),
    mean: mean(sorted),
    p90: quantile(sorted, 0.9),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    stddev: sampleStddev(sorted),
    mad: mad(sorted),
    ciLow: ci.low,
    ciHigh: ci.high,
    n: sorted.length,
    outliers: outlierCount(sorted),
  };
}

/**
 * Half-width of the median's CI relative to the median (0.02 means +-2%),
 * unitless; Infinity when the median is 0 so a stopping rule never accepts it.
 */
export function ciRelHalfWidth(s: { median: number; ciLow: number; ciHigh: number }): number {
  if (s.median === 0) return Infinity;
  return (s.ciHigh - s.ciLow) / 2 / Math.abs(s.median);
}
