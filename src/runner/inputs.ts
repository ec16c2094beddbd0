/**
 * Seeded synthetic inputs from the model's own input metadata. Floats are
 * uniform in [-1, 1); integer inputs named like masks are ones, like
 * segment ids zeros, and other integers (token ids) uniform in their range.
 */
import type { DType, HostTensor, TensorInfo, TypedArray } from '../runtimes/runtime.js';
import { createPrng, deriveSeed } from '../random/prng.js';
import { elementCount } from '../runtimes/tensors.js';
import type { GivenInput } from '../core/trial-spec.js';
import { floatToBfloat16, floatToHalf } from '../core/half.js';
import { constantTensor, readTensorFile } from '../onnx/tensor-file.js';

/** Without a known vocabulary, ids stay small enough for any text model we know of. */
export const DEFAULT_INT_RANGE: [number, number] = [0, 1000];

function fill(dtype: DType, count: number, gen: () => number): TypedArray {
  switch (dtype) {
    case 'float32': return Float32Array.from({ length: count }, gen);
    case 'float64': return Float64Array.from({ length: count }, gen);
    case 'int64': return BigInt64Array.from({ length: count }, () => BigInt(gen()));
    case 'int32': return Int32Array.from({ length: count }, gen);
    case 'int16': return Int16Array.from({ length: count }, gen);
    case 'int8': return Int8Array.from({ length: count }, gen);
    case 'uint8':
    case 'bool': return Uint8Array.from({ length: count }, gen);
    case 'float16': return Uint16Array.from({ length: count }, () => floatToHalf(gen()));
    case 'bfloat16': return Uint16Array.from({ length: count }, () => floatToBfloat16(gen()));
    case 'uint64': return BigUint64Array.from({ length: count }, () => BigInt(gen()));
    case 'uint32': return Uint32Array.from({ length: count }, gen);
    case 'uint16': return Uint16Array.from({ length: count }, gen);
  }
}

export function synthesizeInput(info: TensorInfo, shape: number[], seed: number, intRange?: [number, number]): HostTensor {
  const prng = createPrng(deriveSeed(seed, info.name));
  const count = elementCount(shape);
  const isFloat = info.dtype === 'float32' || info.dtype === 'float64' || info.dtype === 'float16' || info.dtype === 'bfloat16';
  let gen: () => number;
  if (isFloat) gen = () => prng.uniform(-1, 1);
  else if (info.dtype === 'bool') gen = () => prng.int(0, 2);
  else if (/mask/i.test(info.name)) gen = () => 1;
  else if (/token_type|segment/i.test(info.name)) gen = () => 0;
  else {
    const [lo, hi] = intRange ?? DEFAULT_INT_RANGE;
    gen = () => prng.int(lo, hi);
  }
  return { dtype: info.dtype, shape, data: fill(info.dtype, count, gen) };
}

export function synthesizeInputs(
  inputs: TensorInfo[], shapes: Record<string, number[]>, seed: number, intRanges: Record<string, [number, number]> = {},
  given: Record<string, GivenInput> = {},
): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const info of inputs) {
    const shape = shapes[info.name];
    if (!shape) throw new Error(`no shape bound for input ${info.name}`);
    const value = given[info.name];
    if (value) {
      // Checked against the model in the parent (engine/given-inputs.ts) before the trial started.
      out[info.name] = 'constant' in value ? constantTensor(value.constant, info.dtype, shape) : readTensorFile(value.file, info.dtype);
      continue;
    }
    out[info.name] = synthesizeInput(info, shape, seed, intRanges[info.name]);
  }
  return out;
}
