/**
 * A within-process CI of a counted throughput: the window cut into
 * consecutive blocks of calls that tile it (each block runs from its first
 * call's start to the next block's first start; the last to the window's
 * end), and a seeded bootstrap over the blocks of their items over their
 * time. A resample's rate is a ratio of sums, as the counted figure is (all
 * items over the whole window), so the interval sits around that figure;
 * a mean of block rates did not, when one block held a long stall.
 */
import type { OkTrial } from '../results/types.js';
import { bootstrapRatioOfSumsCI } from '../stats/index.js';

const BLOCKS = 10;

/** Items one recorded call completed (server: one query per record; otherwise one batch). */
export function itemsPerCall(t: OkTrial): number {
  return t.scenario === 'server' ? 1 : t.batchSize;
}

/** Pure: calls (ms from the window start) in, the CI of the counted rate (items/s) out; undefined with too few calls. */
export function countedRateCI(calls: { startMs: number[]; endMs: number[] }, itemsPerRecord: number, confidence = 0.95): { low: number; high: number } | undefined {
  const n = calls.endMs.length;
  if (n < BLOCKS * 2) return undefined;
  const size = Math.floor(n / BLOCKS);
  const items: number[] = [];
  const spansMs: number[] = [];
  // A loop, not a spread: a window may hold up to maxSamples (100,000) calls.
  const windowEndMs = calls.endMs.reduce((m, x) => Math.max(m, x), -Infinity);
  for (let b = 0; b < BLOCKS; b++) {
    const from = b * size;
    const to = b === BLOCKS - 1 ? n : from + size;
    const startMs = Math.min(...calls.startMs.slice(from, to));
    const endMs = b === BLOCKS - 1 ? windowEndMs : Math.min(...calls.startMs.slice(to, to + size));
    items.push((to - from) * itemsPerRecord);
    spansMs.push(Math.max(0, endMs - startMs));
  }
  if (spansMs.some((s) => s <= 0)) return undefined;
  const ci = bootstrapRatioOfSumsCI(items, spansMs, { confidence });
  return { low: ci.low * 1000, high: ci.high * 1000 };
}
