/**
 * An imported ONNX graph (GraphIR) sent to the page as JSON plus one binary
 * blob holding every tensor's bytes. The graph is decoded from protobuf in
 * Node, where onnx-proto lives; the page only rebuilds typed arrays over the
 * blob. Runs on both sides: it imports nothing from Node.
 */
import type { GraphIR } from '../../onnx/ir.js';
import type { DType, HostTensor } from '../../runtimes/runtime.js';
import { arrayCtorOf } from './tensor-wire.js';

interface TensorRef { $tensor: { dtype: DType; shape: number[]; offset: number; byteLength: number } }
interface MapRef { $map: [string, unknown][] }

/** Typed-array views need their offset aligned to the element size; 8 covers every dtype. */
const ALIGN = 8;

function isHostTensor(v: unknown): v is HostTensor {
  return typeof v === 'object' && v !== null && ArrayBuffer.isView((v as HostTensor).data) && Array.isArray((v as HostTensor).shape);
}

export function encodeGraph(graph: GraphIR): { json: string; blob: Uint8Array } {
  const parts: Uint8Array[] = [];
  let size = 0;
  const walk = (v: unknown): unknown => {
    if (v instanceof Map) return { $map: [...v.entries()].map(([k, x]) => [k, walk(x)]) } satisfies MapRef;
    if (isHostTensor(v)) {
      const bytes = new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength);
      const offset = Math.ceil(size / ALIGN) * ALIGN;
      if (offset > size) parts.push(new Uint8Array(offset - size));
      parts.push(bytes);
      size = offset + bytes.byteLength;
      return { $tensor: { dtype: v.dtype, shape: [...v.shape], offset, byteLength: bytes.byteLength } } satisfies TensorRef;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    if (typeof v === 'bigint') throw new Error(`graph-wire: a bare bigint (${v}) cannot be sent to the page`);
    return v;
  };
  const json = JSON.stringify(walk(graph));
  const blob = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { blob.set(p, at); at += p.byteLength; }
  return { json, blob };
}

export function decodeGraph(json: string, blob: ArrayBuffer): GraphIR {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    if ('$map' in v) return new Map((v as MapRef).$map.map(([k, x]) => [k, walk(x)]));
    if ('$tensor' in v) {
      const t = (v as TensorRef).$tensor;
      const ctor = arrayCtorOf(t.dtype);
      // A copy, so that each tensor owns its buffer as a decoded protobuf tensor would.
      const bytes = new Uint8Array(blob, t.offset, t.byteLength).slice();
      return { dtype: t.dtype, shape: t.shape, data: new ctor(bytes.buffer, 0, t.byteLength / ctor.BYTES_PER_ELEMENT) } satisfies HostTensor;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return walk(JSON.parse(json)) as GraphIR;
}
