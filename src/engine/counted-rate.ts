/**
 * Every rate is counted: items completed inside the measured window over the
 * window's wall time. A per-call figure (batch at the median latency) is kept
 * beside it under its own name; it is never the throughput.
 */
import type { LoopMeasurement } from '../core/measurement.js';

export interface CountedRate {
  /** Items completed inside the counted window. */
  itemsCompleted: number;
  /** The counted window's wall time. */
  countedWindowS: number;
  /** itemsCompleted / countedWindowS. */
  throughputPerS: number;
}

/** Pure: what the loop recorded in, the counted rate out. */
export function countedRate(m: LoopMeasurement, batchSize: number): CountedRate {
  const itemsCompleted = m.counted?.items ?? m.samplesMs.length * batchSize;
  const countedWindowS = m.counted?.windowS ?? m.measuredS;
  return { itemsCompleted, countedWindowS, throughputPerS: countedWindowS > 0 ? itemsCompleted / countedWindowS : 0 };
}

/** Items one call completes at the median latency: a per-call figure, above the counted rate whenever latency has a tail. */
export function perCallItemsPerS(batchSize: number, medianMs: number): number {
  return medianMs > 0 ? (batchSize * 1000) / medianMs : 0;
}
