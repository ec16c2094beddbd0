/**
 * Tensors and graphs as the worker reads them: JSON descriptions that point
 * into a frame's list of binary buffers ({ dtype, shape, buffer: index }).
 */
import type { GraphIR, AttrValue } from '../../onnx/ir.js';
import type { DType, HostTensor, TypedArray } from '../runtime.js';
import { ProtocolError } from './framing.js';

export interface WireTensor {
  dtype: DType;
  shape: number[];
  buffer: number;
}

const CTOR: Record<DType, { new (buf: ArrayBuffer, off: number, len: number): TypedArray; BYTES_PER_ELEMENT: number }> = {
  float32: Float32Array, float64: Float64Array, float16: Uint16Array, int64: BigInt64Array, int32: Int32Array,
  int16: Int16Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
  uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array, bfloat16: Uint16Array,
};

/** Appends the tensor's bytes to `buffers` (no copy) and returns its description. */
export function encodeTensor(t: HostTensor, buffers: Uint8Array[]): WireTensor {
  buffers.push(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return { dtype: t.dtype, shape: [...t.shape], buffer: buffers.length - 1 };
}

export function decodeTensor(value: unknown, buffers: Uint8Array[], what: string): HostTensor {
  const v = value as Partial<WireTensor> | null;
  if (!v || typeof v !== 'object' || typeof v.dtype !== 'string' || !(v.dtype in CTOR) || !Array.isArray(v.shape) || !Number.isInteger(v.buffer)) {
    throw new ProtocolError(`worker sent ${what} that is not a tensor description: ${JSON.stringify(value)?.slice(0, 200)}`);
  }
  const raw = buffers[v.buffer!];
  const ctor = CTOR[v.dtype];
  const count = v.shape.reduce((a: number, b: number) => a * b, 1);
  if (!raw || raw.byteLength !== count * ctor.BYTES_PER_ELEMENT) {
    throw new ProtocolError(`worker sent ${what} (${v.dtype} [${v.shape.join(', ')}]) with ${raw?.byteLength ?? 'no'} bytes; ${count * ctor.BYTES_PER_ELEMENT} expected`);
  }
  // Copy into an aligned buffer of its own: frame payload offsets need not be aligned.
  const copy = new Uint8Array(raw.byteLength);
  copy.set(raw);
  return { dtype: v.dtype, shape: v.shape, data: new ctor(copy.buffer, 0, count) };
}

export function encodeTensors(feeds: Record<string, HostTensor>, buffers: Uint8Array[]): Record<string, WireTensor> {
  return Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, encodeTensor(t, buffers)]));
}

function isTensor(v: AttrValue): v is HostTensor {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'data' in v && 'dtype' in v;
}

function encodeAttr(v: AttrValue, buffers: Uint8Array[]): unknown {
  if (isTensor(v)) return { tensor: encodeTensor(v, buffers) };
  // A control-flow body (If, Loop, Scan) travels whole; its initializers' bytes join the frame's buffers.
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return { graph: encodeGraph(v as GraphIR, buffers) };
  return v;
}

/** The graph part of a load request: nodes with attributes, initializers as buffers. */
export function encodeGraph(ir: GraphIR, buffers: Uint8Array[]): Record<string, unknown> {
  return {
    opset: ir.opset,
    inputs: ir.inputs.map((i) => ({ name: i.name, dtype: i.dtype, shape: i.shape })),
    outputs: ir.outputs.map((o) => ({ name: o.name, dtype: o.dtype, shape: o.shape })),
    initializers: Object.fromEntries([...ir.initializers].map(([name, t]) => [name, encodeTensor(t, buffers)])),
    nodes: ir.nodes.map((n) => ({
      name: n.name, opType: n.opType, domain: n.domain, inputs: n.inputs, outputs: n.outputs,
      attrs: Object.fromEntries(Object.entries(n.attrs).map(([k, v]) => [k, encodeAttr(v, buffers)])),
    })),
  };
}
