/** Helpers shared by adapters whose tensors carry a dtype name, dims and a typed array (onnxruntime's). */
import type { DType, ElementType, HostTensor, Tensor, TensorInfo, TypedArray } from './runtime.js';

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * onnxruntime and our tensors use the same dtype names, except that 'bool' data is a Uint8Array on both sides;
 * a string tensor's data is a string[] on both sides.
 */
export function hostFromOrt(t: { type: string; dims: readonly number[]; data: unknown }): Tensor {
  if (t.type === 'string') return { dtype: 'string', shape: [...t.dims], data: [...(t.data as string[])] };
  return { dtype: t.type as DType, shape: [...t.dims], data: t.data as TypedArray };
}

/** Outputs for numeric code: a string output is refused by name (read string outputs with Session.readValues). */
export function numericOutputs(values: Record<string, Tensor>): Record<string, HostTensor> {
  const str = Object.keys(values).find((k) => values[k].dtype === 'string');
  if (str) throw new Error(`output ${str} is a string tensor: this path reads numeric outputs only (predict() and the agreement check read strings)`);
  return values as Record<string, HostTensor>;
}

/** onnxruntime's value metadata (read from the session, so the runner never decodes the model a second time). */
export function infoFromOrt(m: { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }): TensorInfo {
  if (!m.isTensor) throw new Error(`input or output ${m.name} is a sequence, map or optional value: not supported by onnxruntime in infermark (tensor inputs and outputs only)`);
  return {
    name: m.name,
    dtype: m.type as ElementType,
    shape: (m.shape ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : typeof d === 'string' && d !== '' ? d : null)),
  };
}
