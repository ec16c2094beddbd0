/**
 * Order-statistic helpers shared by the other stats files. Inputs named
 * `sortedAsc` must already be sorted ascending; sorting is the caller's job
 * so that one sort can serve several figures.
 */

/** Throws a clear error when `values` is empty or holds a non-finite number. */
export function assertFiniteSamples(values: readonly number[], what: string): void {
  if (values.length === 0) throw new Error(`${what}: needs at least one value, got an empty array`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(`${what}: value [${i}] is ${values[i]}; only finite numbers are allowed`);
    }
  }
}

/** A sorted ascending copy; the input is left untouched. */
export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * Quantile by linear interpolation between order statistics (Hyndman-Fan
 * type 7, numpy's default), so figures match what users compute themselves.
 * @param sortedAsc samples sorted ascending, any unit; the result has the same unit
 * @param q probability in [0, 1]
 */
export function quantile(sortedAsc: readonly number[], q: number): number {
  if (sortedAsc.length === 0) throw new Error('quantile: needs at least one value, got an empty array');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const h = (sortedAsc.length - 1) * q;
  const lo = Math.floor(h);
  if (lo >= sortedAsc.length - 1) return sortedAsc[sortedAsc.length - 1];
  const frac = h - lo;
  return sortedAsc[lo] + frac * (sortedAsc[lo + 1] - sortedAsc[lo]);
}

/** Median of sorted samples (mean of the two middle values for even n). */
export function medianOfSorted(sortedAsc: readonly number[]): number {
  return quantile(sortedAsc, 0.5);
}

/** Median of unsorted values; sorts a copy. */
export function median(values: readonly number[]): number {
  return medianOfSorted(sortedCopy(values));
}
