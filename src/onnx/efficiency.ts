/**
 * Efficiency of a measured configuration: the arithmetic rate it reached
 * (MACs per item times the counted items per second), and its share of two
 * peaks, each labelled: the theoretical FP32 peak from what the CPU (or, for a
 * GPU provider, the GPU) declares (a ceiling: the share never exceeds 1), and the GEMM peak the same
 * runtime reached here on a large matrix product (a measurement: a share above
 * 1 means the reference was measured low, and says so).
 */
import type { BenchWarning, EfficiencyFigures } from '../results/types.js';

export type Efficiency = EfficiencyFigures;

export interface Peaks {
  /** The runtime's measured GEMM peak, GFLOP/s, and the load average it was measured under. */
  measuredGflops?: number;
  measuredLoadAvg1?: number;
  /** Cores other processes kept busy while the GEMM was timed. */
  measuredOthersCores?: number;
  /** Which reference it is (runtime, provider, threads, where the GEMM was timed). */
  measuredReference?: string;
  /** The theoretical FP32 peak of what the trial ran on (the CPU, or a GPU provider's GPU), GFLOP/s, and how it was derived. */
  theoreticalGflops?: number;
  theoreticalDerivation?: string;
}

export function efficiency(macsPerItem: number, itemsPerS: number, peaks: Peaks = {}): { figures: Efficiency; warnings: BenchWarning[] } {
  if (!(macsPerItem >= 0)) throw new RangeError(`macsPerItem must be >= 0, got ${macsPerItem}`);
  if (!(itemsPerS > 0)) throw new RangeError(`itemsPerS must be > 0, got ${itemsPerS}`);
  const achievedGflops = (2 * macsPerItem * itemsPerS) / 1e9;
  const figures: Efficiency = { macsPerItem, achievedGflops };
  const warnings: BenchWarning[] = [];
  if (peaks.theoreticalGflops !== undefined && peaks.theoreticalGflops > 0) {
    const share = achievedGflops / peaks.theoreticalGflops;
    figures.theoreticalPeakGflops = peaks.theoreticalGflops;
    if (peaks.theoreticalDerivation) figures.theoreticalPeakDerivation = peaks.theoreticalDerivation;
    // A ceiling cannot be passed: a rate above it means the MAC count overstates the work done (e.g. a fast convolution algorithm).
    figures.theoreticalPeakShare = Math.min(1, share);
    if (share > 1) {
      warnings.push({
        code: 'mac-count-above-peak',
        message: `the counted MACs at the measured rate give ${achievedGflops.toFixed(1)} GFLOP/s, above the theoretical peak of ${peaks.theoreticalGflops.toFixed(1)}: the runtime does less arithmetic than the graph's MAC count (share shown as 100%)`,
        remedy: 'read achievedGflops as MAC-equivalent work, not arithmetic performed',
      });
    }
  }
  if (peaks.measuredGflops !== undefined && peaks.measuredGflops > 0) {
    figures.peakGflops = peaks.measuredGflops;
    if (peaks.measuredLoadAvg1 !== undefined) figures.peakLoadAvg1 = peaks.measuredLoadAvg1;
    if (peaks.measuredReference) figures.peakReference = peaks.measuredReference;
    if (peaks.measuredOthersCores !== undefined) figures.peakOthersCores = peaks.measuredOthersCores;
    figures.measuredPeakShare = achievedGflops / peaks.measuredGflops;
    if (figures.measuredPeakShare > 1) {
      warnings.push({
        code: 'measured-peak-low',
        message: `${(figures.measuredPeakShare * 100).toFixed(0)}% of the measured GEMM peak (${peaks.measuredGflops.toFixed(1)} GFLOP/s): the reference was measured low${peaks.measuredLoadAvg1 !== undefined ? ` (under a load average of ${peaks.measuredLoadAvg1.toFixed(2)})` : ''}`,
        remedy: 'read the share of the theoretical peak, or measure again on a quiet machine',
      });
    }
  }
  return { figures, warnings };
}
