/**
 * Helpers for the torch runtime's tests: whether torch is here (tests skip
 * with the reason when it is not, except under CI=true where they must run),
 * small ONNX graphs, onnxruntime-node as the reference, and one shared
 * worker that loads graph after graph (torch's import costs ~1.5 s).
 */
import assert from 'node:assert/strict';
import { decodeModel } from '../src/onnx/read.js';
import { float, floats, graph, int, ints, type AttrInput } from '../src/onnx/builder.js';
import { toGraphIR } from '../src/onnx/ir.js';
import type { DType, HostTensor } from '../src/runtimes/runtime.js';
import { findTorch } from '../src/runtimes/torch/python.js';
import { decodeTensor, encodeGraph, encodeTensors } from '../src/runtimes/python-worker/wire.js';
import { WorkerClient } from '../src/runtimes/python-worker/worker-client.js';
import { floats as f32s, int64s, randomFloats, runOrt } from './helpers/tensors.js';
import { specModelBytes, type SpecGraph, type SpecNode, type ToAttr } from './helpers/graph-spec.js';

export { randomFloats, runOrt };
export const f32 = f32s;
export const i64 = int64s;

export const found = await findTorch();
if (!found.ok && process.env.CI === 'true') throw new Error(`CI=true, so the torch tests must run, but: ${found.reason}`);
/** For node:test's `skip` option: false, or the reason. */
export const skipTorch: false | string = found.ok ? false : `torch unavailable: ${found.reason}`;
if (skipTorch) console.log(`# skipping torch tests: ${skipTorch}`);
export const python = found.ok ? found.probe.python : 'python3';

/** Attribute values: an integer is INT, other numbers FLOAT; { f } forces FLOAT, { fs } FLOATS; { graph } a body of If/Loop/Scan. */
export type AttrValue = number | number[] | string | { f: number } | { fs: number[] } | { graph: GraphSpec } | HostTensor;

export type NodeSpec = SpecNode<AttrValue>;
export type GraphSpec = SpecGraph<AttrValue>;

const toAttr: ToAttr<AttrValue> = (v, sub): AttrInput => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? int(v) : float(v);
  if (Array.isArray(v)) return v.every(Number.isInteger) ? ints(v) : floats(v);
  if ('f' in v) return float(v.f);
  if ('fs' in v) return floats(v.fs);
  if ('graph' in v) return graph(sub(v.graph));
  return v;
};

export function modelBytes(spec: GraphSpec): Uint8Array {
  return specModelBytes(spec, toAttr);
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
