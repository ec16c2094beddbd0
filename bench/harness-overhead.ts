/**
 * Harness overhead: on a tiny model at batch 1, infermark's reported median
 * against a bare loop calling onnxruntime-node directly. Both run in a fresh
 * process with the same seeded input, alternating in one run so machine
 * noise hits both alike. Target: ratio <= 1.02.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { benchmark } from '../src/api/benchmark.js';
import type { OkTrial } from '../src/results/types.js';
import { synthesizeInputs } from '../src/engine/inputs.js';
import { benchModelPath } from './models.js';

const ROUNDS = 5;
/** Both loops measure for the same time, so both are equally warm. */
const MEASURE_MS = 2000;
const MIN_RUNS = 3000;
const WIDTH = 256;

/** The bare loop, run as its own process: warm up, then time each call. */
async function bareLoop(path: string): Promise<void> {
  const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
  const x = synthesizeInputs([{ name: 'x', dtype: 'float32', shape: ['batch', WIDTH] }], { x: [1, WIDTH] }, 42).x;
  const feeds = { x: new ort.Tensor('float32', x.data as Float32Array, [1, WIDTH]) };
  for (let i = 0; i < 100; i++) await session.run(feeds);
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < MIN_RUNS || performance.now() - start < MEASURE_MS) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  process.stdout.write(String(samples[samples.length >> 1]));
}

function bareMedianMs(path: string): number {
  return Number(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--bare', path], { encoding: 'utf8' }));
}

async function infermarkMedianMs(path: string): Promise<number> {
  const [r] = (await benchmark({
    model: path, runtimes: ['ort-node'], settings: { intraOpNumThreads: 1 },
    stopping: { minTimeMs: MEASURE_MS, maxTimeMs: MEASURE_MS, minSamples: MIN_RUNS, warmupRuns: 100 }, checkOutputs: false, efficiency: false,
  })) as OkTrial[];
  return r.latencyMs.median;
}

export async function main(): Promise<void> {
  const path = benchModelPath('matmul-256', WIDTH);
  const ratios: number[] = [];
  console.log(`harness overhead: MatMul ${WIDTH}x${WIDTH}, batch 1, ort-node cpu, intraOpNumThreads=1; bare loop vs infermark, each in a fresh process`);
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so a drift in the machine's state favours neither.
    let b: number;
    let o: number;
    if (round % 2 === 0) {
      b = bareMedianMs(path);
      o = await infermarkMedianMs(path);
    } else {
      o = await infermarkMedianMs(path);
      b = bareMedianMs(path);
    }
    ratios.push(o / b);
    console.log(`  round ${round + 1}: bare ${b.toFixed(4)} ms, infermark ${o.toFixed(4)} ms, ratio ${(o / b).toFixed(3)}`);
  }
  ratios.sort((a, b) => a - b);
  console.log(`  median ratio ${ratios[ratios.length >> 1].toFixed(3)} (target <= 1.02)`);
}

if (process.argv[2] === '--bare') await bareLoop(process.argv[3]);
else if (import.meta.url === `file://${process.argv[1]}`) await main();
