/**
 * Reading one tensor a user gives as an input value: NumPy .npy, an ONNX
 * TensorProto .pb (what the ONNX backend tests' test_data_set folders hold),
 * or JSON (a nested array, or { "shape": [...], "data": [...] }). JSON
 * numbers take the dtype the model declares for the input.
 */
import { readFileSync } from 'node:fs';
import type { DType, ElementType, HostTensor, Tensor, TypedArray } from '../core/tensors.js';
import { onnx } from './read.js';
import { tensorFromProto } from './ir.js';
import { floatToBfloat16 } from '../core/half.js';

const NPY_DTYPES: Record<string, DType> = {
  '<f4': 'float32', '<f8': 'float64', '<f2': 'float16', '<i8': 'int64', '<i4': 'int32', '<i2': 'int16',
  '|i1': 'int8', '|u1': 'uint8', '|b1': 'bool', '<u2': 'uint16', '<u4': 'uint32', '<u8': 'uint64',
};

function arrayOf(dtype: DType, values: ArrayLike<number | bigint | boolean>): TypedArray {
  const nums = Array.from(values, (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
  switch (dtype) {
    case 'float32': return Float32Array.from(nums, Number);
    case 'float64': return Float64Array.from(nums, Number);
    case 'float16': return Uint16Array.from(nums, Number);
    case 'int64': return BigInt64Array.from(nums, (v) => BigInt(typeof v === 'bigint' ? v : Math.trunc(Number(v))));
    case 'int32': return Int32Array.from(nums, Number);
    case 'int16': return Int16Array.from(nums, Number);
    case 'int8': return Int8Array.from(nums, Number);
    case 'uint8': case 'bool': return Uint8Array.from(nums, Number);
    case 'uint16': return Uint16Array.from(nums, Number);
    case 'uint32': return Uint32Array.from(nums, Number);
    case 'uint64': return BigUint64Array.from(nums, (v) => BigInt(typeof v === 'bigint' ? v : Math.trunc(Number(v))));
    case 'bfloat16': return Uint16Array.from(nums, (v) => floatToBfloat16(Number(v)));
  }
}

function readNpy(bytes: Uint8Array, what: string): HostTensor {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (!magic.every((b, i) => bytes[i] === b)) throw new Error(`${what} is not a .npy file (no \\x93NUMPY magic)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1] ?? '';
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const dtype = NPY_DTYPES[descr];
  if (!dtype) throw new Error(`${what} holds NumPy dtype ${descr}; readable: ${Object.keys(NPY_DTYPES).join(', ')} (little-endian)`);
  if (fortran) throw new Error(`${what} is in Fortran order; save it with numpy.ascontiguousarray first`);
  // A copy: a Buffer's slice shares (and may sit at any offset of) a pooled ArrayBuffer.
  const body = Uint8Array.prototype.slice.call(bytes, start + headerLen);
  const count = shape.reduce((a, b) => a * b, 1);
  const ctor = { float32: Float32Array, float64: Float64Array, float16: Uint16Array, int64: BigInt64Array, int32: Int32Array, int16: Int16Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array, bfloat16: Uint16Array }[dtype];
  if (body.byteLength < count * ctor.BYTES_PER_ELEMENT) throw new Error(`${what} is truncated: ${body.byteLength} bytes of data for shape [${shape.join(', ')}]`);
  return { dtype, shape, data: new ctor(body.buffer, 0, count) as TypedArray };
}

function shapeOfNested(v: unknown): number[] {
  const shape: number[] = [];
  let x = v;
  while (Array.isArray(x)) {
    shape.push(x.length);
    x = x[0];
  }
  return shape;
}

function readJson(text: string, dtype: ElementType, what: string): Tensor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not JSON (${(err as Error).message})`);
  }
  const obj = parsed as { shape?: unknown; dims?: unknown; data?: unknown };
  const flat = (v: unknown): unknown[] => (Array.isArray(v) ? v.flat(Infinity) : [v]);
  const [shape, values] = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? [(obj.shape ?? obj.dims) as number[], flat(obj.data)]
    : [shapeOfNested(parsed), flat(parsed)];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`${what}: "shape" must be a list of sizes`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new Error(`${what}: ${values.length} values for shape [${shape.join(', ')}] (a ragged nested list?)`);
  if (dtype === 'string') {
    if (!values.every((v) => typeof v === 'string')) throw new Error(`${what}: the input is a string tensor; every value must be a JSON string`);
    return { dtype, shape, data: values as string[] };
  }
  if (!values.every((v) => typeof v === 'number' || typeof v === 'boolean')) throw new Error(`${what}: every value must be a number or a boolean`);
  return { dtype, shape, data: arrayOf(dtype, values as (number | boolean)[]) };
}

/**
 * A tensor from a file; `declared` is the dtype a JSON file's values take.
 * Declared numeric, a file of strings is refused (and the other way round, by the caller's dtype check).
 */
export function readTensorFile(path: string, declared: DType): HostTensor & { name?: string };
export function readTensorFile(path: string, declared: ElementType): Tensor & { name?: string };
export function readTensorFile(path: string, declared: ElementType): Tensor & { name?: string } {
  const t = readAnyTensorFile(path, declared);
  if (t.dtype === 'string' && declared !== 'string') throw new Error(`${JSON.stringify(path)} holds string data; the input is declared ${declared}`);
  return t;
}

function readAnyTensorFile(path: string, declared: ElementType): Tensor & { name?: string } {
  const what = JSON.stringify(path);
  const bytes = readFileSync(path);
  if (/\.npy$/i.test(path)) return readNpy(bytes, what);
  if (/\.json$/i.test(path)) return readJson(bytes.toString('utf8'), declared, what);
  if (/\.pb$/i.test(path)) {
    const proto = onnx.TensorProto.decode(bytes);
    return { ...tensorFromProto(proto), ...(proto.name ? { name: proto.name } : {}) };
  }
  throw new Error(`${what}: the file type is not known; give .npy, .pb (an ONNX TensorProto) or .json`);
}

/** A constant broadcast to a shape, in the input's dtype (a string input gets the number's decimal text). */
export function constantTensor(value: number, dtype: ElementType, shape: number[]): Tensor {
  const count = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'string') return { dtype, shape, data: new Array<string>(count).fill(String(value)) };
  return { dtype, shape, data: arrayOf(dtype, new Array<number>(count).fill(value)) };
}
