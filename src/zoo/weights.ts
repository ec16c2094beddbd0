/**
 * Seeded weight initialisers as lazy tensors. Each tensor has its own
 * stream, derived from the model seed and the tensor's name, so a tensor's
 * bytes do not depend on the order tensors are built in. Only uniform draws
 * and Math.sqrt (correctly rounded by IEEE 754) are used, so the bytes are
 * the same on every machine.
 */
import { createPrng, deriveSeed } from '../random/prng.js';
import { elementCount, type LazyTensor } from '../onnx/tensors.js';

/** Elements per generated chunk: 4 MB of float32, so a write never holds a whole big tensor. */
const CHUNK_ELEMENTS = 1 << 20;

/** Uniform in [lo, hi), generated lazily in chunks. */
export function uniformTensor(seed: number, name: string, shape: number[], lo: number, hi: number): LazyTensor {
  return {
    dtype: 'float32',
    shape,
    *chunks() {
      const prng = createPrng(deriveSeed(seed, name));
      let left = elementCount(shape);
      while (left > 0) {
        const chunk = new Float32Array(Math.min(left, CHUNK_ELEMENTS));
        for (let i = 0; i < chunk.length; i++) chunk[i] = prng.uniform(lo, hi);
        left -= chunk.length;
        yield chunk;
      }
      if (elementCount(shape) === 0) yield new Float32Array(0);
    },
  };
}

/** He (Kaiming) uniform: bound sqrt(6 / fan_in); for layers followed by ReLU-like activations. */
export function heUniform(seed: number, name: string, shape: number[], fanIn: number): LazyTensor {
  const bound = Math.sqrt(6 / fanIn);
  return uniformTensor(seed, name, shape, -bound, bound);
}

/** Glorot (Xavier) uniform: bound sqrt(6 / (fan_in + fan_out)); for linear outputs. */
export function glorotUniform(seed: number, name: string, shape: number[], fanIn: number, fanOut: number): LazyTensor {
  const bound = Math.sqrt(6 / (fanIn + fanOut));
  return uniformTensor(seed, name, shape, -bound, bound);
}

/** PyTorch's default bias: uniform within 1/sqrt(fan_in). */
export function biasUniform(seed: number, name: string, shape: number[], fanIn: number): LazyTensor {
  const bound = 1 / Math.sqrt(fanIn);
  return uniformTensor(seed, name, shape, -bound, bound);
}

/** Near a constant: `centre` plus or minus `spread` (normalisation scales near 1, shifts near 0). */
export function nearConstant(seed: number, name: string, shape: number[], centre: number, spread: number): LazyTensor {
  return uniformTensor(seed, name, shape, centre - spread, centre + spread);
}

/** Standard deviation 0.02 as a uniform (bound 0.02 * sqrt 3): BERT's initialisation scale for embeddings. */
export const EMBEDDING_BOUND = 0.02 * Math.sqrt(3);
