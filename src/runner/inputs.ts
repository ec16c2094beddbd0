/**
 * Seeded synthetic inputs from the model's own input metadata. Floats are
 * uniform in [-1, 1); integer inputs named like masks are ones, like
 * segment ids zeros, and other integers (token ids) uniform in their range.
 * String inputs get the decimal text of seeded floats in [-1, 1) (e.g.
 * "-0.4375"): every element is a valid number for a Cast to a numeric type
 * and a non-empty token for text operators.
 */
import type { DType, HostTensor, StringTensor, Tensor, TensorInfo, TypedArray } from '../runtimes/runtime.js';
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

/** Decimal digits kept in a synthetic string: short, and exact as a float32. */
const STRING_DIGITS = 4;

function synthesizeStrings(shape: number[], prng: ReturnType<typeof createPrng>): StringTensor {
  return { dtype: 'string', shape, data: Array.from({ length: elementCount(shape) }, () => String(Number(prng.uniform(-1, 1).toFixed(STRING_DIGITS)))) };
}

export function synthesizeInput(info: TensorInfo, shape: number[], seed: number, intRange?: [number, number]): Tensor {
  const prng = createPrng(deriveSeed(seed, info.name));
  if (info.dtype === 'string') return synthesizeStrings(shape, prng);
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

/** Every input's value: given by the user, else synthesised; string inputs included. */
export function synthesizeFeeds(
  inputs: TensorInfo[], shapes: Record<string, number[]>, seed: number, intRanges: Record<string, [number, number]> = {},
  given: Record<string, GivenInput> = {},
): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
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

/** The feeds when every one is numeric, else undefined (a string input). */
export function numericFeeds(feeds: Record<string, Tensor>): Record<string, HostTensor> | undefined {
  return Object.values(feeds).every((t) => t.dtype !== 'string') ? feeds as Record<string, HostTensor> : undefined;
}

/** synthesizeFeeds for numeric code (measuring loops that slice rows, ensembles): a string input is refused by name. */
export function synthesizeInputs(
  inputs: TensorInfo[], shapes: Record<string, number[]>, seed: number, intRanges: Record<string, [number, number]> = {},
  given: Record<string, GivenInput> = {},
): Record<string, HostTensor> {
  const str = inputs.find((i) => i.dtype === 'string');
  if (str) throw new Error(`input ${str.name} is a string tensor: this path carries numeric inputs only`);
  return synthesizeFeeds(inputs, shapes, seed, intRanges, given) as Record<string, HostTensor>;
}
