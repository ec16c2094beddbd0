/**
 * Moving tensors between host memory (ONNX dtypes) and TensorFlow.js, whose
 * dtypes are only float32, int32 and bool: int64 is narrowed to int32 (with
 * clamping, so ONNX's "to the end" sentinel INT64_MAX stays a large positive
 * index), float64 and float16 to float32.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DType, ElementType, HostTensor, Tensor, TypedArray } from '../runtime.js';
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from '../../core/half.js';

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** The tfjs dtype that carries an ONNX dtype. */
export function tfDtypeOf(dtype: DType): 'float32' | 'int32' | 'bool' {
  switch (dtype) {
    case 'float32': case 'float64': case 'float16': case 'bfloat16': return 'float32';
    case 'bool': return 'bool';
    default: return 'int32';
  }
}

/** Host values as the typed array tfjs accepts for the carrying dtype. */
export function tfDataOf(t: HostTensor): Float32Array | Int32Array | Uint8Array {
  switch (t.dtype) {
    case 'float32': return t.data as Float32Array;
    case 'float64': return Float32Array.from(t.data as Float64Array);
    case 'float16': return Float32Array.from(t.data as Uint16Array, halfToFloat);
    case 'bfloat16': return Float32Array.from(t.data as Uint16Array, bfloat16ToFloat);
    // uint32/uint64 above 2^31 do not fit tfjs's int32: clamped like int64.
    case 'uint32': case 'uint64': return Int32Array.from(t.data as Uint32Array, (v: number | bigint) => Math.min(INT32_MAX, Number(v)));
    case 'bool': return t.data as Uint8Array;
    case 'int32': return t.data as Int32Array;
    case 'int64': {
      const src = t.data as BigInt64Array;
      const out = new Int32Array(src.length);
      for (let i = 0; i < src.length; i++) {
        const v = src[i];
        out[i] = v > BigInt(INT32_MAX) ? INT32_MAX : v < BigInt(INT32_MIN) ? INT32_MIN : Number(v);
      }
      return out;
    }
    default: return Int32Array.from(t.data as Int16Array);
  }
}

/** A host tensor in tfjs; strings become a tfjs string tensor. */
export function tensorFromHost(t: Tensor): tf.Tensor {
  if (t.dtype === 'string') return tf.tensor(t.data, t.shape, 'string');
  return tf.tensor(tfDataOf(t), t.shape, tfDtypeOf(t.dtype));
}

/** tfjs data (numbers, or the strings of a string tensor) back in the ONNX element type the graph declares. */
export function valueFromData(data: tf.TypedArray | string[], shape: number[], dtype: ElementType): Tensor {
  const strings = Array.isArray(data);
  if (dtype === 'string' || strings) {
    if (dtype !== 'string' || !strings) throw new Error(`tfjs: an output declared ${dtype} came out as ${strings ? 'strings' : 'numbers'}`);
    return { dtype, shape, data };
  }
  return hostFromData(data, shape, dtype);
}

/** tfjs data back in the ONNX dtype the graph declares. */
export function hostFromData(data: tf.TypedArray, shape: number[], dtype: DType): HostTensor {
  let out: TypedArray;
  switch (dtype) {
    case 'float32': out = data instanceof Float32Array ? data : Float32Array.from(data); break;
    case 'float64': out = Float64Array.from(data); break;
    case 'int64': out = BigInt64Array.from(data, (v) => BigInt(Math.trunc(v))); break;
    case 'int32': out = data instanceof Int32Array ? data : Int32Array.from(data); break;
    case 'int16': out = Int16Array.from(data); break;
    case 'int8': out = Int8Array.from(data); break;
    case 'uint8': case 'bool': out = data instanceof Uint8Array ? data : Uint8Array.from(data); break;
    case 'float16': out = Uint16Array.from(data, floatToHalf); break;
    case 'bfloat16': out = Uint16Array.from(data, floatToBfloat16); break;
    case 'uint16': out = Uint16Array.from(data); break;
    case 'uint32': out = Uint32Array.from(data); break;
    case 'uint64': out = BigUint64Array.from(data, (v) => BigInt(Math.max(0, Math.trunc(v)))); break;
  }
  return { dtype, shape, data: out };
}
