/**
 * Helpers for the tfjs importer tests: small ONNX graphs written with
 * onnx-proto, seeded inputs, and a comparison of the tfjs runtime against
 * onnxruntime-node (the reference) on the same model and inputs.
 */
import type onnxProto from 'onnx-proto';
import { onnx } from '../src/onnx/read.js';
import type { DType, HostTensor } from '../src/runtimes/runtime.js';
import tfjs from '../src/runtimes/tfjs.js';
import { floats, int64s, randomFloats, runOrt } from './helpers/tensors.js';

export { floats, int64s, randomFloats, runOrt };

const ELEM: Record<DType, number> = { float32: 1, uint8: 2, int8: 3, int16: 5, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11, uint16: 4, uint32: 12, uint64: 13, bfloat16: 16 };

export type Attr = onnxProto.onnx.IAttributeProto;
export const int = (i: number): Attr => ({ type: onnx.AttributeProto.AttributeType.INT, i });
export const float = (f: number): Attr => ({ type: onnx.AttributeProto.AttributeType.FLOAT, f });
export const ints = (v: number[]): Attr => ({ type: onnx.AttributeProto.AttributeType.INTS, ints: v });
export const str = (s: string): Attr => ({ type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(s) });
export const tensorAttr = (t: HostTensor): Attr => ({ type: onnx.AttributeProto.AttributeType.TENSOR, t: tensorProto('value', t) });

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, Attr>;
  domain?: string;
}

export interface GraphSpec {
  nodes: NodeSpec[];
  /** Graph inputs: name, dtype, shape (numbers or symbolic names). */
  inputs: { name: string; dtype: DType; shape: (number | string)[] }[];
  initializers?: Record<string, HostTensor>;
  outputs: { name: string; dtype: DType }[];
  opset?: number;
}

function tensorProto(name: string, t: HostTensor): onnxProto.onnx.ITensorProto {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return { name, dataType: ELEM[t.dtype], dims: t.shape, rawData: Uint8Array.from(bytes) };
}

function valueInfo(name: string, dtype: DType, shape?: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  const dims = shape?.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: ELEM[dtype], ...(dims ? { shape: { dim: dims } } : {}) } } };
}

export function modelBytes(spec: GraphSpec): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'infermark-tfjs-test',
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }],
    graph: {
      name: 'test',
      node: spec.nodes.map((n, i) => ({
        opType: n.op, domain: n.domain ?? '', name: `${n.op}_${i}`, input: n.inputs, output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([name, a]) => ({ ...a, name })),
      })),
      initializer: Object.entries(spec.initializers ?? {}).map(([name, t]) => tensorProto(name, t)),
      input: spec.inputs.map((i) => valueInfo(i.name, i.dtype, i.shape)),
      output: spec.outputs.map((o) => valueInfo(o.name, o.dtype)),
    },
  }).finish();
}


export async function runTfjs(
  bytes: Uint8Array, feeds: Record<string, HostTensor>, provider: string, settings: Record<string, string | number | boolean> = {},
): Promise<Record<string, HostTensor>> {
  const session = await tfjs.createSession({ bytes }, { provider, settings });
  try {
    return await session.readOutputs(await session.run(session.prepare(feeds)));
  } finally {
    await session.dispose();
  }
}

export interface Agreement {
  /** Largest |tfjs - ort| over all outputs. */
  maxAbsError: number;
  /** Largest |tfjs - ort| / (|ort| + 1): the error relative to the value's size, with 1 as the floor. */
  maxScaledError: number;
}

/** Compare shapes, dtypes and values; throws with the output's name and the worst element when they disagree. */
export function compareOutputs(got: Record<string, HostTensor>, want: Record<string, HostTensor>, tolerance: number): Agreement {
  let maxAbsError = 0;
  let maxScaledError = 0;
  for (const [name, w] of Object.entries(want)) {
    const g = got[name];
    if (!g) throw new Error(`output ${name} missing from tfjs; got ${Object.keys(got).join(', ')}`);
    if (g.shape.join(',') !== w.shape.join(',')) throw new Error(`output ${name}: shape [${g.shape}] vs reference [${w.shape}]`);
    if (g.dtype !== w.dtype) throw new Error(`output ${name}: dtype ${g.dtype} vs reference ${w.dtype}`);
    for (let i = 0; i < w.data.length; i++) {
      const a = Number(g.data[i]);
      const b = Number(w.data[i]);
      const err = Math.abs(a - b);
      if (Number.isNaN(a) !== Number.isNaN(b)) throw new Error(`output ${name}[${i}]: ${a} vs reference ${b}`);
      if (Number.isNaN(a)) continue;
      maxAbsError = Math.max(maxAbsError, err);
      const scaled = err / (Math.abs(b) + 1);
      if (scaled > maxScaledError) maxScaledError = scaled;
      if (scaled > tolerance) throw new Error(`output ${name}[${i}]: ${a} vs reference ${b} (error ${err.toExponential(2)}, tolerance ${tolerance} scaled by |ref|+1)`);
    }
  }
  return { maxAbsError, maxScaledError };
}

export const PROVIDERS = ['cpu', 'wasm'] as const;

/** Run one graph on ort-node and on tfjs (each provider given) and check they agree. */
export async function expectAgreement(
  spec: GraphSpec, feeds: Record<string, HostTensor>, options: { tolerance?: number; providers?: readonly string[]; settings?: Record<string, string | number | boolean> } = {},
): Promise<void> {
  const bytes = modelBytes(spec);
  const want = await runOrt(bytes, feeds);
  for (const provider of options.providers ?? PROVIDERS) {
    const got = await runTfjs(bytes, feeds, provider, options.settings);
    try {
      compareOutputs(got, want, options.tolerance ?? 1e-4);
    } catch (err) {
      throw new Error(`${provider}: ${(err as Error).message}`);
    }
  }
}
