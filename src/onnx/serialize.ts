/**
 * Encoding a builder's graph as ONNX protobuf bytes.
 *
 * Why hand-encode the outer messages: protobufjs builds a whole message in
 * memory before writing it, which for VGG-19 means the 548 MB of weights held
 * twice or more. Here protobufjs encodes only the small parts (nodes, value
 * infos, each tensor's header) and the weights are streamed as the
 * `raw_data` field of each TensorProto, chunk by chunk. The lengths that
 * protobuf puts before each nested message are known in advance from the
 * shapes, so nothing needs to be buffered. The result is one ordinary,
 * self-contained .onnx file (no external-data sidecar to lose or mismatch).
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { DType, TypedArray } from '../core/tensors.js';
import { DEFAULT_OPSET, irVersionForOpset, type AttrInput, type BuiltGraph, type SerializeOptions, type ValueSpec } from './builder-types.js';
import { onnx } from './read.js';
import type onnxProto from 'onnx-proto';
import { elementCount, isLazy, materialize, type TensorSource } from './tensors.js';

const ELEM_TYPE: Record<DType, number> = {
  float32: 1, uint8: 2, int8: 3, int16: 5, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11,
  uint16: 4, uint32: 12, uint64: 13, bfloat16: 16,
};
const BYTES_PER_ELEMENT: Record<DType, number> = {
  float32: 4, uint8: 1, int8: 1, int16: 2, int32: 4, int64: 8, bool: 1, float16: 2, float64: 8,
  uint16: 2, uint32: 4, uint64: 8, bfloat16: 2,
};

/** Attributes that ONNX defines as FLOAT(S) even when the value given is a whole number. */
const FLOAT_ATTRS = new Set([
  'alpha', 'beta', 'gamma', 'epsilon', 'momentum', 'lambd', 'bias', 'ratio', 'spatial_scale',
  'extrapolation_value', 'cubic_coeff_a', 'value_float', 'scale', 'min', 'max', 'threshold',
]);
const FLOATS_ATTRS = new Set(['value_floats', 'scales', 'activation_alpha', 'activation_beta']);

// Protobuf tags: (field number << 3) | wire type 2 (length-delimited).
const TAG_MODEL_GRAPH = (7 << 3) | 2;
const TAG_GRAPH_INITIALIZER = (5 << 3) | 2;
const TAG_TENSOR_RAW_DATA = (9 << 3) | 2;

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function dimProto(d: number | string) {
  return typeof d === 'number' ? { dimValue: d } : { dimParam: d };
}

function valueInfoProto(v: ValueSpec) {
  return { name: v.name, type: { tensorType: { elemType: ELEM_TYPE[v.dtype], ...(v.shape ? { shape: { dim: v.shape.map(dimProto) } } : {}) } } };
}

function bytesOf(data: TypedArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A complete TensorProto (data inline): for attribute tensors, which are small. */
function fullTensorProto(name: string, t: TensorSource) {
  return { name, dims: t.shape, dataType: ELEM_TYPE[t.dtype], rawData: bytesOf(materialize(t)) };
}

function attributeProto(name: string, value: AttrInput): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    const asFloat = FLOAT_ATTRS.has(name) || !Number.isInteger(value);
    return asFloat ? { name, type: T.FLOAT, f: value } : { name, type: T.INT, i: value };
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && typeof value[0] === 'string') {
      return { name, type: T.STRINGS, strings: (value as string[]).map((s) => new TextEncoder().encode(s)) };
    }
    const nums = value as number[];
    const asFloats = FLOATS_ATTRS.has(name) || nums.some((x) => !Number.isInteger(x));
    return asFloats ? { name, type: T.FLOATS, floats: nums } : { name, type: T.INTS, ints: nums };
  }
  if ('kind' in value) {
    switch (value.kind) {
      case 'float': return { name, type: T.FLOAT, f: value.value };
      case 'floats': return { name, type: T.FLOATS, floats: value.value };
      case 'int': return { name, type: T.INT, i: value.value };
      case 'ints': return { name, type: T.INTS, ints: value.value };
      case 'graph': return { name, type: T.GRAPH, g: graphProto(value.value) };
    }
  }
  return { name, type: T.TENSOR, t: fullTensorProto('', value) };
}

/** A whole GraphProto with its initializers inline: for subgraphs (If/Loop/Scan bodies), which are small. */
function graphProto(g: BuiltGraph): onnxProto.onnx.IGraphProto {
  return {
    ...graphFields(g),
    initializer: [...g.initializers].map(([name, t]) => fullTensorProto(name, t)),
  };
}

function graphFields(g: BuiltGraph): onnxProto.onnx.IGraphProto {
  return {
    name: g.name,
    node: g.nodes.map((n) => ({
      name: n.name,
      opType: n.opType,
      domain: n.domain,
      input: n.inputs,
      output: n.outputs,
      attribute: Object.entries(n.attrs).map(([k, v]) => attributeProto(k, v)),
    })),
    input: g.inputs.map(valueInfoProto),
    output: g.outputs.map(valueInfoProto),
  };
}

interface InitializerPlan {
  prefix: Uint8Array[];
  rawBytes: number;
  source: TensorSource;
  name: string;
}

function planInitializer(name: string, t: TensorSource): InitializerPlan {
  const header = onnx.TensorProto.encode({ name, dims: t.shape, dataType: ELEM_TYPE[t.dtype] }).finish();
  const rawBytes = elementCount(t.shape) * BYTES_PER_ELEMENT[t.dtype];
  const rawPrefix = Uint8Array.of(TAG_TENSOR_RAW_DATA, ...varint(rawBytes));
  const tensorBytes = header.length + rawPrefix.length + rawBytes;
  return {
    prefix: [Uint8Array.of(TAG_GRAPH_INITIALIZER, ...varint(tensorBytes)), header, rawPrefix],
    rawBytes,
    source: t,
    name,
  };
}

function* rawChunks(plan: InitializerPlan): Generator<Uint8Array> {
  let written = 0;
  const chunks = isLazy(plan.source) ? plan.source.chunks() : [plan.source.data];
  for (const c of chunks) {
    const bytes = bytesOf(c);
    written += bytes.length;
    yield bytes;
  }
  if (written !== plan.rawBytes) {
    throw new Error(`initializer ${plan.name}: produced ${written} bytes, its shape [${plan.source.shape.join(', ')}] needs ${plan.rawBytes}`);
  }
}

/** The model's bytes as a sequence of pieces; their concatenation is the .onnx file. */
export function* modelPieces(g: BuiltGraph, options: SerializeOptions = {}): Generator<Uint8Array> {
  const opset = options.opset ?? DEFAULT_OPSET;
  const opsetImport = [{ domain: '', version: opset }];
  for (const [domain, version] of Object.entries(options.extraOpsets ?? {})) opsetImport.push({ domain, version });
  const head = onnx.ModelProto.encode({
    irVersion: options.irVersion ?? irVersionForOpset(opset),
    producerName: 'infermark',
    producerVersion: options.producerVersion ?? '',
    docString: options.docString ?? '',
    opsetImport,
  }).finish();
  const graphHead = onnx.GraphProto.encode(graphFields(g)).finish();
  const plans = [...g.initializers].map(([name, t]) => planInitializer(name, t));
  let graphBytes = graphHead.length;
  for (const p of plans) graphBytes += p.prefix.reduce((n, b) => n + b.length, 0) + p.rawBytes;
  yield head;
  yield Uint8Array.of(TAG_MODEL_GRAPH, ...varint(graphBytes));
  yield graphHead;
  for (const p of plans) {
    yield* p.prefix;
    yield* rawChunks(p);
  }
}

export function encodeModel(g: BuiltGraph, options: SerializeOptions = {}): Uint8Array {
  const pieces = [...modelPieces(g, options)].map((p) => p.slice());
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of pieces) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export interface WrittenModel {
  path: string;
  sizeBytes: number;
  /** sha256 of the file, hex. */
  sha256: string;
}

/** Small pieces are gathered up to this size before a write; large ones go straight through. */
const WRITE_BUFFER_BYTES = 1 << 20;

export async function writeModelFile(g: BuiltGraph, path: string, options: SerializeOptions = {}): Promise<WrittenModel> {
  const hash = createHash('sha256');
  const fh = await open(path, 'w');
  let sizeBytes = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const buf = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await fh.write(buf);
  };
  try {
    for (const piece of modelPieces(g, options)) {
      hash.update(piece);
      sizeBytes += piece.length;
      if (piece.length >= WRITE_BUFFER_BYTES) {
        await flush();
        await fh.write(piece);
      } else {
        // Copy: a lazy tensor may reuse its chunk buffer after yielding it.
        pending.push(piece.slice());
        pendingBytes += piece.length;
        if (pendingBytes >= WRITE_BUFFER_BYTES) await flush();
      }
    }
    await flush();
  } finally {
    await fh.close();
  }
  return { path, sizeBytes, sha256: hash.digest('hex') };
}
