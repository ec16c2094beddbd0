/**
 * Stability: the same trial five times in fresh processes; the spread of the
 * medians, (max - min) / median. Target: within 3% on this machine.
 */
import { benchmark } from '../src/api/benchmark.js';
import type { OkTrial } from '../src/results/types.js';
import { benchModelPath } from './models.js';

export async function main(): Promise<void> {
  const path = benchModelPath('matmul-512', 512);
  const results = (await benchmark({
    model: path, runtimes: ['ort-node'], settings: { intraOpNumThreads: 1 }, batchSizes: [8], repeat: 5,
  })) as OkTrial[];
  const medians = results.map((r) => r.latencyMs.median);
  const sorted = [...medians].sort((a, b) => a - b);
  const mid = sorted[2];
  console.log('stability: MatMul 512x512, batch 8, ort-node cpu, intraOpNumThreads=1, 5 fresh processes');
  console.log(`  medians ms: ${medians.map((m) => m.toFixed(3)).join(', ')}`);
  console.log(`  spread (max - min) / median: ${(((sorted[4] - sorted[0]) / mid) * 100).toFixed(2)}% (target <= 3%)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
