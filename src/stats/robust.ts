/**
 * Robust spread and outlier detection (Iglewicz and Hoaglin's modified
 * z-score over the MAD, as hyperfine does): a few slow runs caused by the OS
 * must not hide behind a standard deviation they themselves inflate.
 */
import { median, medianOfSorted, sortedCopy } from './quantile.js';

/** 0.6745 is the 0.75 quantile of the standard normal: it makes MAD comparable to a standard deviation. */
const MAD_TO_Z = 0.6745;
/** sqrt(pi/2): mean absolute deviation to standard deviation for normal data, used when the MAD is 0. */
const MEAN_AD_TO_SIGMA = 1.253314;
/** Iglewicz and Hoaglin's recommended cut-off. */
export const OUTLIER_Z_THRESHOLD = 3.5;

/** Median absolute deviation from the median, unscaled; same unit as the values. */
export function mad(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mad: needs at least one value, got an empty array');
  const m = median(values);
  return median(values.map((x) => Math.abs(x - m)));
}

/**
 * Modified z-scores 0.6745 (x - median) / MAD, unitless. When more than half
 * the values are equal (a coarse timer does that) the MAD is 0; the scores
 * then use the mean absolute deviation instead, and are all 0 when every
 * value is equal, so the result never holds NaN or Infinity.
 */
export function modifiedZScores(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const sorted = sortedCopy(values);
  const m = medianOfSorted(sorted);
  const deviations = values.map((x) => Math.abs(x - m));
  const madValue = median(deviations);
  if (madValue > 0) return values.map((x) => (MAD_TO_Z * (x - m)) / madValue);
  const meanAd = deviations.reduce((s, d) => s + d, 0) / values.length;
  if (meanAd > 0) return values.map((x) => (x - m) / (MEAN_AD_TO_SIGMA * meanAd));
  return values.map(() => 0);
}

/** Number of values whose modified z-score exceeds `threshold` in absolute value. */
export function outlierCount(values: readonly number[], threshold = OUTLIER_Z_THRESHOLD): number {
  let count = 0;
  for (const z of modifiedZScores(values)) if (Math.abs(z) > threshold) count++;
  return count;
}
