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
import type { DType, HostTensor, TensorInfo, TypedArray } from '../core/tensors.js';
import { dtypeOfElemType, modelIO, onnx, type GraphProto, type ModelProto, type TensorProto } from './read.js';
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

export function tensorFromProto(t: TensorProto, baseDir?: string): HostTensor {
  const dtype = dtypeOfElemType(t.dataType ?? 0);
  const shape = (t.dims ?? []).map(num);
  const count = elementCount(t, shape);
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

function attrValue(a: AttributeProto, baseDir?: string): AttrValue {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.FLOAT: return a.f ?? 0;
    case T.INT: return num(a.i ?? 0);
    case T.STRING: return new TextDecoder().decode(a.s ?? new Uint8Array());
    case T.TENSOR: return tensorFromProto(a.t ?? {}, baseDir);
    case T.GRAPH: return graphFromProto(a.g ?? {}, 0, baseDir);
    case T.FLOATS: return [...(a.floats ?? [])];
    case T.INTS: return (a.ints ?? []).map(num);
    case T.STRINGS: return (a.strings ?? []).map((s) => new TextDecoder().decode(s));
    default: throw new InputError('model', `model: attribute ${JSON.stringify(a.name)} has type ${a.type}, which is not supported`);
  }
}

function graphFromProto(graph: GraphProto, opset: number, baseDir?: string): GraphIR {
  const { inputs, outputs } = modelIO({ graph, irVersion: 1 });
  const initializers = new Map<string, HostTensor>();
  for (const t of graph.initializer ?? []) initializers.set(t.name ?? '', tensorFromProto(t, baseDir));
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
    attrs: Object.fromEntries((n.attribute ?? []).map((a) => [a.name ?? '', attrValue(a, baseDir)])),
  }));
  return { inputs, outputs, initializers, nodes, opset, valueInfo };
}

/** Build the IR of a decoded model; `modelPath` lets external data be found beside the file. */
export function toGraphIR(model: ModelProto, modelPath?: string): GraphIR {
  const opset = num((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
  const ir = graphFromProto(model.graph ?? {}, opset, modelPath ? dirname(modelPath) : undefined);
  checkGraphAttributes(ir);
  return ir;
}
