/**
 * Stability: the same trial five times in fresh processes; the spread of the
 * medians, (max - min) / median. Target: within 3% on this machine.
 * A real network (MobileNetV2, ~30 ms a run) is used: a kernel of a few
 * microseconds varies with where each process lands far more than any
 * harness does (the tiny model's spread is printed too, for scale).
 */
import { benchmark } from '../src/api/benchmark.js';
import type { OkTrial } from '../src/results/types.js';
import { benchModelPath } from './models.js';

async function spread(model: string, batch: number): Promise<{ medians: number[]; spreadRel: number }> {
  const results = (await benchmark({
    model, runtimes: ['ort-node'], settings: { intraOpNumThreads: 1 }, batchSizes: [batch], repeat: 5,
    checkOutputs: false, efficiency: false, stopping: { minTimeMs: 2000 },
  })) as OkTrial[];
  const medians = results.map((r) => r.latencyMs.median);
  const sorted = [...medians].sort((a, b) => a - b);
  return { medians, spreadRel: (sorted[4] - sorted[0]) / sorted[2] };
}

export async function main(): Promise<void> {
  console.log('stability: the same trial 5 times in fresh processes, ort-node cpu, intraOpNumThreads=1');
  for (const [label, model, batch] of [['zoo:mobilenetv2, batch 1', 'zoo:mobilenetv2', 1], ['MatMul 512x512, batch 8 (tiny)', benchModelPath('matmul-512', 512), 8]] as const) {
    const s = await spread(model, batch);
    console.log(`  ${label}: medians ms ${s.medians.map((m) => m.toFixed(3)).join(', ')}; spread ${(s.spreadRel * 100).toFixed(2)}% (target <= 3%)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
