/**
 * Energy from power samples by the trapezoid rule. Pure. Samples need not be
 * evenly spaced; where a window is given, the first and last readings are
 * held flat out to its edges, since NVML's power value is a recent average
 * that holds until the next update.
 */

/** Joules from power samples in watts at times in milliseconds (ascending). */
export function trapezoidEnergyJ(tMs: readonly number[], powerW: readonly number[], window?: { startMs: number; endMs: number }): number {
  if (tMs.length !== powerW.length) throw new Error(`trapezoidEnergyJ: ${tMs.length} times but ${powerW.length} power values`);
  const n = tMs.length;
  if (n === 0) return 0;
  let joules = 0;
  for (let i = 1; i < n; i++) {
    const dtS = (tMs[i] - tMs[i - 1]) / 1000;
    if (dtS > 0) joules += ((powerW[i] + powerW[i - 1]) / 2) * dtS;
  }
  if (window) {
    if (window.startMs < tMs[0]) joules += powerW[0] * (tMs[0] - window.startMs) / 1000;
    if (window.endMs > tMs[n - 1]) joules += powerW[n - 1] * (window.endMs - tMs[n - 1]) / 1000;
  }
  return joules;
}
