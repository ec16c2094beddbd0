/**
 * A plain, runtime-neutral view of an ONNX graph: nodes with decoded
 * attributes and initializers as host tensors. The FLOP counter and the
 * importers (TensorFlow.js, the PyTorch worker) all read this, never the
 * protobuf objects directly.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DType, HostTensor, TensorInfo, TypedArray } from '../core/tensors.js';
import { dtypeOfElemType, modelIO, onnx, type GraphProto, type ModelProto, type TensorProto } from './read.js';
import type onnxProto from 'onnx-proto';

type AttributeProto = onnxProto.onnx.IAttributeProto;

export type AttrValue = number | string | number[] | string[] | HostTensor | GraphIR;

export interface NodeIR {
  name: string;
  opType: string;
  domain: string;
  /** Input names; an empty string marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface GraphIR {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  initializers: Map<string, HostTensor>;
  nodes: NodeIR[];
  /** Opset version of the default domain. */
  opset: number;
  /** Shapes known from value_info, by tensor name. */
  valueInfo: Map<string, TensorInfo>;
}

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
  const entries = Object.fromEntries((t.externalData ?? []).map((e) => [e.key, e.value]));
  if (!baseDir) throw new Error(`tensor ${t.name} uses external data but the model was not read from a file`);
  const file = readFileSync(resolve(baseDir, String(entries.location)));
  const offset = Number(entries.offset ?? 0);
  const length = entries.length !== undefined ? Number(entries.length) : file.byteLength - offset;
  return file.subarray(offset, offset + length);
}

export function tensorFromProto(t: TensorProto, baseDir?: string): HostTensor {
  const dtype = dtypeOfElemType(t.dataType ?? 0);
  const shape = (t.dims ?? []).map(num);
  const count = shape.reduce((a, b) => a * b, 1);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    return { dtype, shape, data: fromRawBytes(dtype, readExternal(t, baseDir)) };
  }
  if (t.rawData && t.rawData.byteLength > 0) return { dtype, shape, data: fromRawBytes(dtype, t.rawData) };
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
    throw new Error(`tensor ${t.name}: ${data.length} values for shape [${shape.join(', ')}]`);
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
    default: throw new Error(`attribute ${a.name}: type ${a.type} is not supported`);
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
  return graphFromProto(model.graph ?? {}, opset, modelPath ? dirname(modelPath) : undefined);
}
