/**
 * Splitting host tensors along one axis into batches, and joining the
 * batches' outputs back along that axis.
 */
import type { HostTensor, TypedArray } from '../runtimes/runtime.js';
import { elementCount } from '../runtimes/tensors.js';

type Growable = TypedArray & { set(a: ArrayLike<unknown>, offset: number): void };

/** Rows [start, end) of `t` along `axis`. */
export function sliceAxis(t: HostTensor, axis: number, start: number, end: number): HostTensor {
  const shape = t.shape.map((d, i) => (i === axis ? end - start : d));
  if (axis === 0) {
    const row = elementCount(t.shape.slice(1));
    return { dtype: t.dtype, shape, data: t.data.subarray(start * row, end * row) as TypedArray };
  }
  const outer = elementCount(t.shape.slice(0, axis));
  const inner = elementCount(t.shape.slice(axis + 1));
  const len = t.shape[axis];
  const out = new (t.data.constructor as new (n: number) => Growable)(elementCount(shape));
  for (let o = 0; o < outer; o++) {
    out.set(t.data.subarray((o * len + start) * inner, (o * len + end) * inner) as ArrayLike<unknown>, o * (end - start) * inner);
  }
  return { dtype: t.dtype, shape, data: out };
}

/** `parts` joined along `axis` (every other dimension equal). */
export function concatAxis(parts: HostTensor[], axis: number): HostTensor {
  const first = parts[0];
  const total = parts.reduce((n, p) => n + p.shape[axis], 0);
  const shape = first.shape.map((d, i) => (i === axis ? total : d));
  const outer = elementCount(first.shape.slice(0, axis));
  const inner = elementCount(first.shape.slice(axis + 1));
  const out = new (first.data.constructor as new (n: number) => Growable)(elementCount(shape));
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const n = p.shape[axis] * inner;
      out.set(p.data.subarray(o * n, (o + 1) * n) as ArrayLike<unknown>, at);
      at += n;
    }
  }
  return { dtype: first.dtype, shape, data: out };
}
