/** Helpers shared by adapters whose tensors carry a dtype name, dims and a typed array (onnxruntime's). */
import type { DType, HostTensor, TensorInfo, TypedArray } from './runtime.js';

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** onnxruntime and our HostTensor use the same dtype names, except that 'bool' data is a Uint8Array on both sides. */
export function hostFromOrt(t: { type: string; dims: readonly number[]; data: unknown }): HostTensor {
  return { dtype: t.type as DType, shape: [...t.dims], data: t.data as TypedArray };
}

/** onnxruntime's value metadata (read from the session, so the runner never decodes the model a second time). */
export function infoFromOrt(m: { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }): TensorInfo {
  if (!m.isTensor) throw new Error(`input or output ${m.name} is a sequence, map or optional value: not supported by onnxruntime in infermark (tensor inputs and outputs only)`);
  if (m.type === 'string') throw new Error(`input or output ${m.name} is a string tensor: not supported by onnxruntime in infermark (host tensors carry numbers and booleans)`);
  return {
    name: m.name,
    dtype: m.type as DType,
    shape: (m.shape ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : typeof d === 'string' && d !== '' ? d : null)),
  };
}
