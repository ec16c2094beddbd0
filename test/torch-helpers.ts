/**
 * Helpers for the torch runtime's tests: whether torch is here (tests skip
 * with the reason when it is not, except under CI=true where they must run),
 * small ONNX graphs, onnxruntime-node as the reference, and one shared
 * worker that loads graph after graph (torch's import costs ~1.5 s).
 */
import assert from 'node:assert/strict';
import type onnxProto from 'onnx-proto';
import { onnx, decodeModel } from '../src/onnx/read.js';
import { toGraphIR } from '../src/onnx/ir.js';
import type { DType, HostTensor } from '../src/runtimes/runtime.js';
import { findTorch } from '../src/runtimes/torch/python.js';
import { decodeTensor, encodeGraph, encodeTensors } from '../src/runtimes/python-worker/wire.js';
import { WorkerClient } from '../src/runtimes/python-worker/worker-client.js';
import { floats, int64s, randomFloats, runOrt } from './helpers/tensors.js';

export { randomFloats, runOrt };
export const f32 = floats;
export const i64 = int64s;

export const found = await findTorch();
if (!found.ok && process.env.CI === 'true') throw new Error(`CI=true, so the torch tests must run, but: ${found.reason}`);
/** For node:test's `skip` option: false, or the reason. */
export const skipTorch: false | string = found.ok ? false : `torch unavailable: ${found.reason}`;
if (skipTorch) console.log(`# skipping torch tests: ${skipTorch}`);
export const python = found.ok ? found.probe.python : 'python3';

const ELEM: Record<DType, number> = { float32: 1, uint8: 2, int8: 3, int16: 5, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11, uint16: 4, uint32: 12, uint64: 13, bfloat16: 16 };
const A = onnx.AttributeProto.AttributeType;

/** Attribute values: an integer is INT, other numbers FLOAT; { f } forces FLOAT, { fs } FLOATS; { graph } a body of If/Loop/Scan. */
export type AttrValue = number | number[] | string | { f: number } | { fs: number[] } | { graph: GraphSpec } | HostTensor;

export interface NodeSpec { op: string; inputs: string[]; outputs: string[]; attrs?: Record<string, AttrValue> }
export interface GraphSpec {
  nodes: NodeSpec[];
  inputs: { name: string; dtype: DType; shape: (number | string)[] }[];
  initializers?: Record<string, HostTensor>;
  /** Output shapes are left undeclared; the runtimes infer them. */
  outputs: { name: string; dtype: DType }[];
  opset?: number;
}

function tensorProto(name: string, t: HostTensor): onnxProto.onnx.ITensorProto {
  return { name, dataType: ELEM[t.dtype], dims: t.shape, rawData: Uint8Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)) };
}

function attrProto(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v };
  if (Array.isArray(v)) return v.every(Number.isInteger) ? { name, type: A.INTS, ints: v } : { name, type: A.FLOATS, floats: v };
  if ('f' in v) return { name, type: A.FLOAT, f: v.f };
  if ('fs' in v) return { name, type: A.FLOATS, floats: v.fs };
  if ('graph' in v) return { name, type: A.GRAPH, g: graphProto(v.graph) };
  return { name, type: A.TENSOR, t: tensorProto(name, v) };
}

function info(name: string, dtype: DType, shape?: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: ELEM[dtype], ...(shape ? { shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } : {}) } },
  };
}

function graphProto(spec: GraphSpec): onnxProto.onnx.IGraphProto {
  return {
    name: 'g',
    node: spec.nodes.map((n, i) => ({
      opType: n.op, name: `${n.op}_${i}`, input: n.inputs, output: n.outputs,
      attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attrProto(k, v)),
    })),
    initializer: Object.entries(spec.initializers ?? {}).map(([k, t]) => tensorProto(k, t)),
    input: spec.inputs.map((i) => info(i.name, i.dtype, i.shape)),
    output: spec.outputs.map((o) => info(o.name, o.dtype)),
  };
}

export function modelBytes(spec: GraphSpec): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'infermark-torch-test',
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }],
    graph: graphProto(spec),
  }).finish();
}



/** Loads a model into an existing worker (replacing the last one) and runs it once. */
export async function runTorch(worker: WorkerClient, bytes: Uint8Array, feeds: Record<string, HostTensor>, mode = 'eager'): Promise<Record<string, HostTensor>> {
  const graphBuffers: Uint8Array[] = [];
  const graph = encodeGraph(toGraphIR(decodeModel(bytes)), graphBuffers);
  await worker.request({ type: 'load', model: { source: 'onnx', graph }, settings: { mode, device: 'cpu' } }, graphBuffers);
  const buffers: Uint8Array[] = [];
  const reply = await worker.request({ type: 'run', inputs: encodeTensors(feeds, buffers) }, buffers);
  const outputs = reply.header.outputs as Record<string, unknown>;
  return Object.fromEntries(Object.entries(outputs).map(([k, t]) => [k, decodeTensor(t, reply.buffers, k)]));
}

/** Largest |a - b| / (atol + rtol * |b|); <= 1 means within tolerance. */
export function assertClose(actual: HostTensor, expected: HostTensor, what: string, atol = 1e-4, rtol = 1e-4): number {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  let worst = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const a = Number(actual.data[i]);
    const b = Number(expected.data[i]);
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    const diff = Math.abs(a - b);
    maxAbs = Math.max(maxAbs, diff);
    worst = Math.max(worst, diff / (atol + rtol * Math.abs(b)));
  }
  assert.ok(worst <= 1, `${what}: max |torch - ort| = ${maxAbs.toExponential(2)} exceeds atol ${atol} + rtol ${rtol}`);
  return maxAbs;
}

/** torch (in `worker`) and onnxruntime-node agree on every output of the graph. */
export async function expectAgreement(worker: WorkerClient, name: string, spec: GraphSpec, feeds: Record<string, HostTensor>, modes = ['eager']): Promise<void> {
  const bytes = modelBytes(spec);
  const expected = await runOrt(bytes, feeds);
  for (const mode of modes) {
    const actual = await runTorch(worker, bytes, feeds, mode).catch((err: Error) => { throw new Error(`${name} (${mode}): ${err.message}`); });
    for (const [k, t] of Object.entries(expected)) assertClose(actual[k], t, `${name} (${mode}) output ${k}`);
  }
}

export function startWorker(env: Record<string, string> = {}): WorkerClient {
  return new WorkerClient({ python, runtime: 'torch', env });
}
