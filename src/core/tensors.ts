/** Tensors in host memory, runtime-neutral: what runtimes, the ONNX tools and the runner share. */

export type DType =
  | 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8'
  | 'uint64' | 'uint32' | 'uint16' | 'uint8' | 'bool';

export type TypedArray =
  | Float32Array | Float64Array | Uint16Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array
  | BigUint64Array | Uint32Array;

/** A tensor in host memory, runtime-neutral. */
export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

/** An element type of any tensor: the numeric ones, and ONNX's UTF-8 strings. */
export type ElementType = DType | 'string';

/** A tensor of ONNX strings (UTF-8, row-major), in host memory. */
export interface StringTensor {
  dtype: 'string';
  shape: number[];
  data: string[];
}

/**
 * Any tensor a model can take or give. Numeric code keeps to HostTensor;
 * strings cross only where a runtime can hold them (onnxruntime, tfjs).
 */
export type Tensor = HostTensor | StringTensor;

export function isStringTensor(t: Tensor): t is StringTensor {
  return t.dtype === 'string';
}

/** Input or output metadata; a symbolic dimension is a string, an unknown one null. */
export interface TensorInfo {
  name: string;
  dtype: ElementType;
  shape: (number | string | null)[];
}
