/**
 * Host tensors across the Node ↔ page boundary. Playwright's evaluate
 * carries JSON, so a tensor travels as dtype, shape and base64 bytes. This
 * module runs on both sides (it imports nothing from Node): the page loads
 * it from dist as an ES module.
 */
import type { DType, HostTensor, TypedArray } from '../../runtimes/runtime.js';

export interface WireTensor {
  dtype: DType;
  shape: number[];
  base64: string;
}

type ArrayCtor = { new (buf: ArrayBuffer, off?: number, len?: number): TypedArray; BYTES_PER_ELEMENT: number };

const ARRAY_BY_DTYPE: Record<DType, ArrayCtor> = {
  float32: Float32Array, float64: Float64Array, float16: Uint16Array, int64: BigInt64Array, int32: Int32Array,
  int16: Int16Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
  bfloat16: Uint16Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array,
};

export function arrayCtorOf(dtype: DType): ArrayCtor {
  const ctor = ARRAY_BY_DTYPE[dtype];
  if (!ctor) throw new Error(`tensor dtype ${JSON.stringify(dtype)} cannot cross to the page; allowed: ${Object.keys(ARRAY_BY_DTYPE).join(', ')}`);
  return ctor;
}

/** btoa takes a binary string; building it in chunks keeps the argument list of fromCharCode bounded. */
export function bytesToBase64(bytes: Uint8Array): string {
  const CHUNK = 0x8000;
  let s = '';
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function tensorToWire(t: HostTensor): WireTensor {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return { dtype: t.dtype, shape: [...t.shape], base64: bytesToBase64(bytes) };
}

export function tensorFromWire(w: WireTensor): HostTensor {
  const bytes = base64ToBytes(w.base64);
  const ctor = arrayCtorOf(w.dtype);
  return { dtype: w.dtype, shape: [...w.shape], data: new ctor(bytes.buffer as ArrayBuffer, 0, bytes.byteLength / ctor.BYTES_PER_ELEMENT) };
}

export function tensorsToWire(ts: Record<string, HostTensor>): Record<string, WireTensor> {
  return Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, tensorToWire(t)]));
}

export function tensorsFromWire(ws: Record<string, WireTensor>): Record<string, HostTensor> {
  return Object.fromEntries(Object.entries(ws).map(([k, w]) => [k, tensorFromWire(w)]));
}
