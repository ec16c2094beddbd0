/** Seeded tensors and the onnxruntime-node reference run that the importers' op-by-op tests share. */
import * as ort from 'onnxruntime-node';
import { createPrng } from '../../src/random/prng.js';
import type { DType, HostTensor } from '../../src/runtimes/runtime.js';

/** Seeded float32 values uniform in [lo, hi). */
export function randomFloats(shape: number[], seed: number, lo = -1, hi = 1): HostTensor {
  const prng = createPrng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { dtype: 'float32', shape, data: Float32Array.from({ length: n }, () => prng.uniform(lo, hi)) };
}

export function floats(shape: number[], values: number[]): HostTensor {
  return { dtype: 'float32', shape, data: Float32Array.from(values) };
}

export function int64s(shape: number[], values: number[]): HostTensor {
  return { dtype: 'int64', shape, data: BigInt64Array.from(values.map(BigInt)) };
}

/** The reference: onnxruntime-node, one thread, no graph optimisation (as the engine's output check). */
export async function runOrt(bytes: Uint8Array, feeds: Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  try {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.dtype as never, t.data as never, t.shape);
    const out = await session.run(ortFeeds);
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { dtype: t.type as DType, shape: [...t.dims], data: t.data as HostTensor['data'] }]));
  } finally {
    await session.release();
  }
}
