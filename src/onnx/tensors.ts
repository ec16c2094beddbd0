/**
 * Host tensors for graph building: small constructors, and the lazy tensor
 * whose bytes are produced only when the model is written, so a builder can
 * describe VGG-19's 548 MB of weights while holding almost none of it.
 */
import type { DType, HostTensor, TypedArray } from '../core/tensors.js';

/** A tensor whose data is produced on demand, in order, in chunks. */
export interface LazyTensor {
  dtype: DType;
  shape: number[];
  /**
   * Yields the elements in row-major order; the concatenated chunks are the
   * whole tensor. Called once per write, so it must be deterministic.
   */
  chunks(): Iterable<TypedArray>;
}

export type TensorSource = HostTensor | LazyTensor;

export function isLazy(t: TensorSource): t is LazyTensor {
  return typeof (t as LazyTensor).chunks === 'function' && !('data' in t);
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function float32(shape: number[], values?: ArrayLike<number>): HostTensor {
  const data = new Float32Array(elementCount(shape));
  if (values) {
    if (values.length !== data.length) throw new Error(`float32 tensor [${shape.join(', ')}] needs ${data.length} values, got ${values.length}`);
    data.set(values);
  }
  return { dtype: 'float32', shape, data };
}

/** An int64 tensor; a 1-D one by default (shapes, axes, indices). */
export function int64(values: readonly (number | bigint)[], shape: number[] = [values.length]): HostTensor {
  return { dtype: 'int64', shape, data: BigInt64Array.from(values.map((v) => BigInt(v))) };
}

export function scalarFloat32(value: number): HostTensor {
  return { dtype: 'float32', shape: [], data: Float32Array.of(value) };
}

/** The whole data of a tensor source (materialises a lazy one). */
export function materialize(t: TensorSource): TypedArray {
  if (!isLazy(t)) return t.data;
  const parts = [...t.chunks()];
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const Ctor = parts[0].constructor as unknown as new (n: number) => TypedArray & { set(a: ArrayLike<unknown>, off: number): void };
  const out = new Ctor(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p as unknown as ArrayLike<unknown>, offset);
    offset += p.length;
  }
  return out;
}

/**
 * A HostTensor view of a tensor source whose `data` is computed on first
 * read: shape-only readers (the FLOP counter) never pay for the bytes.
 */
export function asHostTensor(t: TensorSource): HostTensor {
  if (!isLazy(t)) return t;
  let data: TypedArray | undefined;
  return {
    dtype: t.dtype,
    shape: t.shape,
    get data() {
      data ??= materialize(t);
      return data;
    },
  };
}
