/**
 * A bare onnxruntime-node loop in a process of its own: the control the
 * benchmarks compare infermark with. Same seeded inputs as infermark's
 * runner, one intra-op thread, warm-up, then every call timed for a while.
 *
 *   node dist/bench/bare-loop.js MODEL.onnx BATCH MEASURE_MS  -> prints the median ms
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { synthesizeInputs } from '../src/engine/inputs.js';
import { inspectModel } from '../src/engine/model-info.js';
import { resolveInputShapes } from '../src/engine/shapes.js';
import { intRangesOf } from '../src/engine/expand.js';

const WARMUP_RUNS = 20;

async function bareLoop(path: string, batch: number, measureMs: number): Promise<number> {
  const info = await inspectModel(path);
  const feeds = synthesizeInputs(info.inputs, resolveInputShapes(info.inputs, batch, { dims: {}, shapes: {} }), 42, intRangesOf(info));
  const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
  const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.dtype as never, t.data as never, t.shape)]));
  for (let i = 0; i < WARMUP_RUNS; i++) await session.run(ortFeeds);
  const samples: number[] = [];
  const start = performance.now();
  while (performance.now() - start < measureMs || samples.length < 10) {
    const t0 = process.hrtime.bigint();
    await session.run(ortFeeds);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  await session.release();
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** Run the bare loop in a fresh process and return its median, ms. */
export function bareLoopMedianMs(path: string, batch: number, measureMs: number): number {
  return Number(execFileSync(process.execPath, [fileURLToPath(import.meta.url), path, String(batch), String(measureMs)], { encoding: 'utf8' }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(String(await bareLoop(process.argv[2], Number(process.argv[3]), Number(process.argv[4]))));
}
