/**
 * A plain, runtime-neutral view of an ONNX graph: nodes with decoded
 * attributes and initializers as host tensors. The FLOP counter and the
 * importers (TensorFlow.js, the PyTorch worker) all read this, never the
 * protobuf objects directly.
 */
import { dirname } from 'node:path';
import { InputError } from '../errors/input-error.js';
import { readExternalData } from '../files/safe-read.js';
import { checkGraphAttributes } from './check.js';
import type { DType, HostTensor, StringTensor, Tensor, TensorInfo, TypedArray } from '../core/tensors.js';
import { elementTypeOf, modelIO, onnx, type GraphProto, type ModelProto, type TensorProto } from './read.js';
import type onnxProto from 'onnx-proto';

type AttributeProto = onnxProto.onnx.IAttributeProto;

export type { AttrValue, NodeIR, GraphIR } from './ir-types.js';
import type { AttrValue, GraphIR, NodeIR } from './ir-types.js';

const ARRAY_BY_DTYPE: Record<DType, { new (buf: ArrayBuffer, off: number, len: number): TypedArray; BYTES_PER_ELEMENT: number }> = {
  float32: Float32Array, float64: Float64Array, float16: Uint16Array, int64: BigInt64Array, int32: Int32Array,
  int16: Int16Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
  uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array, bfloat16: Uint16Array,
};

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

/** Copy bytes into an aligned typed array (raw_data slices may be unaligned). */
function fromRawBytes(dtype: DType, bytes: Uint8Array): TypedArray {
  const ctor = ARRAY_BY_DTYPE[dtype];
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new ctor(copy.buffer, 0, bytes.byteLength / ctor.BYTES_PER_ELEMENT);
}

function readExternal(t: TensorProto, baseDir: string | undefined): Uint8Array {
  const entries = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? undefined]));
  if (!baseDir) throw new InputError('model', `model: initializer ${JSON.stringify(t.name)} uses external data but the model was not read from a file; give the model as a path`);
  return readExternalData(baseDir, { tensor: t.name ?? '', location: entries.get('location'), offset: entries.get('offset'), length: entries.get('length') });
}

/** Element count of `dims`, refused before any allocation when a dim is negative or the count is not a safe integer. */
function elementCount(t: TensorProto, shape: number[]): number {
  let count = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new InputError('model', `model: tensor ${JSON.stringify(t.name)} has dim ${d} in [${shape.join(', ')}]; allowed: whole numbers 0 or more`);
    }
    count *= d;
  }
  if (!Number.isSafeInteger(count)) throw new InputError('model', `model: tensor ${JSON.stringify(t.name)} declares [${shape.join(', ')}], too many elements`);
  return count;
}

/** Raw bytes must hold exactly the declared elements, as onnxruntime's checker demands. */
function checkByteLength(t: TensorProto, dtype: DType, shape: number[], count: number, byteLength: number): void {
  const want = count * ARRAY_BY_DTYPE[dtype].BYTES_PER_ELEMENT;
  if (byteLength !== want) {
    throw new InputError('model', `model: tensor ${JSON.stringify(t.name)} declares ${dtype}[${shape.join(', ')}] (${want} bytes) but holds ${byteLength} bytes; the file is corrupt`);
  }
}

/** A string tensor: ONNX keeps each element as UTF-8 bytes in string_data. */
function stringsFromProto(t: TensorProto, shape: number[], count: number): StringTensor {
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.rawData && t.rawData.byteLength > 0)) {
    throw new InputError('model', `model: string tensor ${JSON.stringify(t.name)} keeps its data in raw or external bytes; ONNX stores strings in string_data only; the file is corrupt`);
  }
  const decoder = new TextDecoder();
  const data = (t.stringData ?? []).map((b) => decoder.decode(b));
  if (data.length !== count) {
    throw new InputError('model', `model: tensor ${JSON.stringify(t.name)} holds ${data.length} strings for shape [${shape.join(', ')}]; the file is corrupt`);
  }
  return { dtype: 'string', shape, data };
}

export function tensorFromProto(t: TensorProto, baseDir?: string): Tensor {
  const dtype = elementTypeOf(t.dataType ?? 0);
  const shape = (t.dims ?? []).map(num);
  const count = elementCount(t, shape);
  if (dtype === 'string') return stringsFromProto(t, shape, count);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    const bytes = readExternal(t, baseDir);
    checkByteLength(t, dtype, shape, count, bytes.byteLength);
    return { dtype, shape, data: fromRawBytes(dtype, bytes) };
  }
  if (t.rawData && t.rawData.byteLength > 0) {
    checkByteLength(t, dtype, shape, count, t.rawData.byteLength);
    return { dtype, shape, data: fromRawBytes(dtype, t.rawData) };
  }
  let data: TypedArray;
  switch (dtype) {
    case 'float32': data = Float32Array.from(t.floatData ?? []); break;
    case 'float64': data = Float64Array.from(t.doubleData ?? []); break;
    case 'int64': data = BigInt64Array.from((t.int64Data ?? []).map((v) => BigInt(String(v)))); break;
    case 'float16': data = Uint16Array.from((t.int32Data ?? []).map(num)); break;
    // ONNX keeps uint32 and uint64 values in uint64_data.
    case 'uint32': data = Uint32Array.from((t.uint64Data ?? []).map(num)); break;
    case 'uint64': data = BigUint64Array.from((t.uint64Data ?? []).map((v) => BigInt(String(v)))); break;
    default: data = (ARRAY_BY_DTYPE[dtype] as unknown as { from(a: number[]): TypedArray }).from((t.int32Data ?? []).map(num));
  }
  if (data.length !== count && !(count === 1 && shape.length === 0 && data.length === 1)) {
    throw new InputError('model', `model: tensor ${JSON.stringify(t.name)} holds ${data.length} values for shape [${shape.join(', ')}]; the file is corrupt`);
  }
  return { dtype, shape, data };
}

function attrValue(a: AttributeProto, baseDir: string | undefined, opts: GraphReadOptions): AttrValue {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.FLOAT: return a.f ?? 0;
    case T.INT: return num(a.i ?? 0);
    case T.STRING: return new TextDecoder().decode(a.s ?? new Uint8Array());
    case T.TENSOR: {
      const t = tensorFromProto(a.t ?? {}, baseDir);
      return t.dtype === 'string' && !opts.strings ? refuseString(`attribute ${a.name}`) : t;
    }
    case T.GRAPH: return graphFromProto(a.g ?? {}, 0, baseDir, opts);
    case T.FLOATS: return [...(a.floats ?? [])];
    case T.INTS: return (a.ints ?? []).map(num);
    case T.STRINGS: return (a.strings ?? []).map((s) => new TextDecoder().decode(s));
    default: throw new InputError('model', `model: attribute ${JSON.stringify(a.name)} has type ${a.type}, which is not supported`);
  }
}

export interface GraphReadOptions {
  /** Whether the reader can hold string tensors (tfjs can; torch, the FLOP counter and the Python workers cannot). */
  strings?: boolean;
}

/** Runtimes whose tensors can hold ONNX strings: named in the refusal the others give. */
const STRING_RUNTIMES = 'ort-node, ort-web and tfjs';

function refuseString(what: string): never {
  throw new Error(`${what} is a string tensor: not supported here (this runtime's tensors carry numbers and booleans); string tensors run on ${STRING_RUNTIMES}`);
}

function graphFromProto(graph: GraphProto, opset: number, baseDir: string | undefined, opts: GraphReadOptions): GraphIR {
  const { inputs, outputs } = modelIO({ graph, irVersion: 1 });
  if (!opts.strings) {
    const str = [...inputs.map((v) => ['input', v] as const), ...outputs.map((v) => ['output', v] as const)].find(([, v]) => v.dtype === 'string');
    if (str) refuseString(`${str[0]} ${str[1].name}`);
  }
  const initializers = new Map<string, HostTensor>();
  const stringInitializers = new Map<string, StringTensor>();
  for (const t of graph.initializer ?? []) {
    const tensor = tensorFromProto(t, baseDir);
    if (tensor.dtype !== 'string') initializers.set(t.name ?? '', tensor);
    else if (opts.strings) stringInitializers.set(t.name ?? '', tensor);
    else refuseString(`initializer ${t.name}`);
  }
  const valueInfo = new Map<string, TensorInfo>();
  for (const v of graph.valueInfo ?? []) {
    try {
      valueInfo.set(v.name ?? '', modelIO({ graph: { input: [v] }, irVersion: 1 }).inputs[0]);
    } catch { /* a value_info with an unsupported type only loses its shape hint */ }
  }
  const nodes: NodeIR[] = (graph.node ?? []).map((n, i) => ({
    name: n.name || `${n.opType}_${i}`,
    opType: n.opType ?? '',
    domain: n.domain ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attrs: Object.fromEntries((n.attribute ?? []).map((a) => [a.name ?? '', attrValue(a, baseDir, opts)])),
  }));
  return { inputs, outputs, initializers, ...(stringInitializers.size ? { stringInitializers } : {}), nodes, opset, valueInfo };
}

/** Build the IR of a decoded model; `modelPath` lets external data be found beside the file. */
export function toGraphIR(model: ModelProto, modelPath?: string, opts: GraphReadOptions = {}): GraphIR {
  const opset = num((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
  const ir = graphFromProto(model.graph ?? {}, opset, modelPath ? dirname(modelPath) : undefined, opts);
  checkGraphAttributes(ir);
  return ir;
}
