/**
 * A within-process CI of a counted throughput: the window's calls cut into
 * consecutive blocks, each block's items over its own wall time, and a
 * bootstrap interval of their mean, which never leaves the blocks' range.
 */
import type { OkTrial } from '../results/types.js';
import { boundedMeanCI } from '../stats/index.js';

const BLOCKS = 10;

/** Items one recorded call completed (server: one query per record; otherwise one batch). */
export function itemsPerCall(t: OkTrial): number {
  return t.scenario === 'server' ? 1 : t.batchSize;
}

/** Pure: calls (ms from the window start) in, the CI of the counted rate (items/s) out; undefined with too few calls. */
export function countedRateCI(calls: { startMs: number[]; endMs: number[] }, itemsPerRecord: number): { low: number; high: number } | undefined {
  const n = calls.endMs.length;
  if (n < BLOCKS * 2) return undefined;
  const rates: number[] = [];
  const size = Math.floor(n / BLOCKS);
  for (let b = 0; b < BLOCKS; b++) {
    const from = b * size;
    const to = b === BLOCKS - 1 ? n : from + size;
    const spanMs = Math.max(...calls.endMs.slice(from, to)) - Math.min(...calls.startMs.slice(from, to));
    if (spanMs > 0) rates.push(((to - from) * itemsPerRecord * 1000) / spanMs);
  }
  if (rates.length < 3) return undefined;
  const ci = boundedMeanCI(rates, 0.95);
  return 'tooFew' in ci ? undefined : { low: ci.low, high: ci.high };
}
