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

/** Input or output metadata; a symbolic dimension is a string, an unknown one null. */
export interface TensorInfo {
  name: string;
  dtype: DType;
  shape: (number | string | null)[];
}
