/**
 * Splitting host tensors along one axis into batches, and joining the
 * batches' outputs back along that axis. Numeric and string tensors share
 * the index arithmetic: a run of consecutive elements per outer index.
 */
import type { Tensor, TypedArray } from '../runtimes/runtime.js';
import { elementCount } from '../runtimes/tensors.js';

type Growable = TypedArray & { set(a: ArrayLike<unknown>, offset: number): void };

/** Pieces [from, to) of flat data, in order, joined into a tensor's data like `like`'s. */
function gather(like: Tensor, pieces: { src: Tensor; from: number; to: number }[], count: number): Tensor['data'] {
  if (like.dtype === 'string') return pieces.flatMap(({ src, from, to }) => (src.data as string[]).slice(from, to));
  if (pieces.length === 1 && pieces[0].to - pieces[0].from === count) return (pieces[0].src.data as TypedArray).subarray(pieces[0].from, pieces[0].to) as TypedArray;
  const out = new ((like.data as TypedArray).constructor as new (n: number) => Growable)(count);
  let at = 0;
  for (const { src, from, to } of pieces) {
    out.set((src.data as TypedArray).subarray(from, to) as ArrayLike<unknown>, at);
    at += to - from;
  }
  return out;
}

function withData(like: Tensor, shape: number[], data: Tensor['data']): Tensor {
  return { dtype: like.dtype, shape, data } as Tensor;
}

/** Rows [start, end) of `t` along `axis`. */
export function sliceAxis(t: Tensor, axis: number, start: number, end: number): Tensor {
  const shape = t.shape.map((d, i) => (i === axis ? end - start : d));
  const outer = elementCount(t.shape.slice(0, axis));
  const inner = elementCount(t.shape.slice(axis + 1));
  const len = t.shape[axis];
  const pieces = Array.from({ length: outer }, (_, o) => ({ src: t, from: (o * len + start) * inner, to: (o * len + end) * inner }));
  return withData(t, shape, gather(t, pieces, elementCount(shape)));
}

/** `parts` joined along `axis` (every other dimension equal). */
export function concatAxis(parts: Tensor[], axis: number): Tensor {
  const first = parts[0];
  const total = parts.reduce((n, p) => n + p.shape[axis], 0);
  const shape = first.shape.map((d, i) => (i === axis ? total : d));
  const outer = elementCount(first.shape.slice(0, axis));
  const inner = elementCount(first.shape.slice(axis + 1));
  const pieces = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const n = p.shape[axis] * inner;
      pieces.push({ src: p, from: o * n, to: (o + 1) * n });
    }
  }
  return withData(first, shape, gather(first, pieces, elementCount(shape)));
}
