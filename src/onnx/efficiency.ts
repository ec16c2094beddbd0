/**
 * Efficiency of a measured configuration: the arithmetic rate it reached
 * (from MACs per item and the median latency of one batch), and its share
 * of the peak the same runtime reaches on a large matrix product here.
 */
import type { EfficiencyFigures } from '../results/types.js';

export type Efficiency = EfficiencyFigures;

export function efficiency(macsPerItem: number, medianLatencyMs: number, batchSize: number, peakGflops?: number): Efficiency {
  if (!(macsPerItem >= 0)) throw new RangeError(`macsPerItem must be >= 0, got ${macsPerItem}`);
  if (!(medianLatencyMs > 0)) throw new RangeError(`medianLatencyMs must be > 0, got ${medianLatencyMs}`);
  if (!(batchSize >= 1)) throw new RangeError(`batchSize must be >= 1, got ${batchSize}`);
  const achievedGflops = (2 * macsPerItem * batchSize) / (medianLatencyMs / 1e3) / 1e9;
  if (peakGflops === undefined || !(peakGflops > 0)) return { macsPerItem, achievedGflops };
  return { macsPerItem, achievedGflops, peakGflops, peakShare: achievedGflops / peakGflops };
}
