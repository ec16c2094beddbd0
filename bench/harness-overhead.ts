/**
 * Harness overhead: on a tiny model at batch 1, infermark's reported median
 * against a bare loop calling onnxruntime-node directly, in the same run and
 * alternating, so machine noise hits both alike. Target: ratio <= 1.02.
 */
import * as ort from 'onnxruntime-node';
import { benchmark } from '../src/api/benchmark.js';
import type { OkTrial } from '../src/results/types.js';
import { benchModelPath } from './models.js';

const ROUNDS = 3;
const BARE_RUNS = 2000;

async function bareMedianMs(path: string): Promise<number> {
  const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
  const n = session.inputMetadata[0] as { shape: readonly (number | string)[] };
  const width = Number(n.shape[1]);
  const feeds = { x: new ort.Tensor('float32', new Float32Array(width).fill(0.5), [1, width]) };
  for (let i = 0; i < 50; i++) await session.run(feeds);
  const samples: number[] = [];
  for (let i = 0; i < BARE_RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  await session.release();
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

export async function main(): Promise<void> {
  const path = benchModelPath('matmul-256', 256);
  const ratios: number[] = [];
  console.log('harness overhead: tiny MatMul model (256x256), batch 1, ort-node cpu, intraOpNumThreads=1');
  for (let round = 0; round < ROUNDS; round++) {
    const bare = await bareMedianMs(path);
    const [r] = (await benchmark({
      model: path, runtimes: ['ort-node'], settings: { intraOpNumThreads: 1 },
      stopping: { minTimeMs: 2000, minSamples: 200 },
    })) as OkTrial[];
    const ratio = r.latencyMs.median / bare;
    ratios.push(ratio);
    console.log(`  round ${round + 1}: bare loop median ${bare.toFixed(4)} ms, infermark median ${r.latencyMs.median.toFixed(4)} ms, ratio ${ratio.toFixed(3)}`);
  }
  ratios.sort((a, b) => a - b);
  console.log(`  median ratio ${ratios[ratios.length >> 1].toFixed(3)} (target <= 1.02)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
