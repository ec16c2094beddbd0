/**
 * Harness overhead: on a tiny model at batch 1, the median that infermark's
 * measuring loop reports against a bare loop calling onnxruntime-node
 * directly. Both loops run in the same process on the same session and
 * seeded input, alternating ten times, so neither process-to-process noise
 * nor machine drift favours one. A second figure runs infermark the way a
 * user does (a fresh runner process per trial) against a fresh process
 * running the bare loop. Target: ratio <= 1.02.
 */
import * as ort from 'onnxruntime-node';
import { sweep } from '../src/api/benchmark.js';
import { measureLoop } from '../src/runner/loop.js';
import { DEFAULT_STOPPING } from '../src/engine/trial-spec.js';
import type { OkTrial } from '../src/results/types.js';
import { synthesizeInputs } from '../src/engine/inputs.js';
import { benchModelPath } from './models.js';
import { bareLoopMedianMs as bareProcessMedianMs } from './bare-loop.js';

/** Many short alternating rounds: this machine's speed drifts on a one-second scale. */
const ROUNDS = 40;
/** Each loop measures this long, so both are equally warm. */
const MEASURE_MS = 500;
const WIDTH = 256;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function session(path: string) {
  const s = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
  const x = synthesizeInputs([{ name: 'x', dtype: 'float32', shape: ['batch', WIDTH] }], { x: [1, WIDTH] }, 42).x;
  const feeds = { x: new ort.Tensor('float32', x.data as Float32Array, [1, WIDTH]) };
  for (let i = 0; i < 200; i++) await s.run(feeds);
  return { run: () => s.run(feeds), release: () => s.release() };
}

async function bareLoopMedianMs(run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  const start = performance.now();
  while (performance.now() - start < MEASURE_MS) {
    const t0 = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

async function harnessLoopMedianMs(run: () => Promise<unknown>): Promise<number> {
  const m = await measureLoop(run, { ...DEFAULT_STOPPING, warmupRuns: 0, minTimeMs: MEASURE_MS, maxTimeMs: MEASURE_MS, targetCiRel: 0 }, {
    windowStart: () => {}, windowEnd: () => {},
  });
  return median(m.samplesMs);
}

export async function main(): Promise<void> {
  const path = benchModelPath('matmul-256', WIDTH);
  console.log(`harness overhead: MatMul ${WIDTH}x${WIDTH} (a tiny model), batch 1, ort-node cpu, intraOpNumThreads=1`);
  const s = await session(path);
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so a drift in the machine's state favours neither.
    const first = round % 2 === 0 ? bareLoopMedianMs : harnessLoopMedianMs;
    const second = round % 2 === 0 ? harnessLoopMedianMs : bareLoopMedianMs;
    const a = await first(s.run);
    const b = await second(s.run);
    const [bare, ours] = round % 2 === 0 ? [a, b] : [b, a];
    ratios.push(ours / bare);
  }
  await s.release();
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`  same process, alternating ${ROUNDS}x ${MEASURE_MS} ms: ratio quartiles ${[0.25, 0.5, 0.75].map((q) => sorted[Math.floor(q * (sorted.length - 1))].toFixed(3)).join(' / ')}, min ${sorted[0].toFixed(3)}, max ${sorted[sorted.length - 1].toFixed(3)}`);
  console.log(`  infermark's loop / bare loop, median ratio: ${median(ratios).toFixed(3)} (target <= 1.02)`);

  const fresh: number[] = [];
  for (let round = 0; round < 3; round++) {
    const bare = bareProcessMedianMs(path, 1, MEASURE_MS);
    const [r] = (await sweep({
      model: path, runtimes: ['ort-node'], settings: { intraOpNumThreads: 1 },
      stopping: { minTimeMs: MEASURE_MS, maxTimeMs: MEASURE_MS, warmupRuns: 20 }, checkOutputs: false, efficiency: false,
    })) as OkTrial[];
    fresh.push(r.latencyMs.median / bare);
  }
  console.log(`  fresh processes (infermark's runner vs a bare-loop process), 3 rounds: ratios ${fresh.map((r) => r.toFixed(3)).join(' ')}`);
  console.log('  (process-to-process variation on a shared VM is far larger than the harness: see stability)');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
