/** Taking the first n rows (batch items) of host tensors, without copying. */
import type { HostTensor, TypedArray } from '../runtimes/runtime.js';
import { elementCount } from '../runtimes/tensors.js';

export function firstRows(feeds: Record<string, HostTensor>, n: number): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const [name, t] of Object.entries(feeds)) {
    const row = elementCount(t.shape.slice(1));
    out[name] = { dtype: t.dtype, shape: [n, ...t.shape.slice(1)], data: t.data.subarray(0, n * row) as TypedArray };
  }
  return out;
}
