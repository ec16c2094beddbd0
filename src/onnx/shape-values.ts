/**
 * What shape inference knows about one tensor: its shape, and for small
 * integer tensors (shapes, axes, indices) its values, so that chains such as
 * Shape -> Gather -> Concat -> Reshape, common in exported models, resolve.
 */
import type { DType, HostTensor } from '../core/tensors.js';

export interface ValueState {
  shape: number[];
  dtype?: DType;
  /** Element values, row-major, for small tensors whose values are known. */
  value?: number[];
}

/** Tensors up to this many elements keep their values (shape arithmetic stays tiny). */
export const MAX_TRACKED_ELEMENTS = 1024;

export function elements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function stateOfTensor(t: HostTensor): ValueState {
  const n = elements(t.shape);
  if (n > MAX_TRACKED_ELEMENTS || t.dtype === 'float16') return { shape: [...t.shape], dtype: t.dtype };
  return { shape: [...t.shape], dtype: t.dtype, value: Array.from(t.data as ArrayLike<number | bigint>, Number) };
}

/** numpy broadcasting of two shapes; throws when they do not broadcast. */
export function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} is out of range for rank ${rank}`);
  return a;
}
