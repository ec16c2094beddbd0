/**
 * Helpers for the tfjs importer tests: small ONNX graphs written with
 * onnx-proto, seeded inputs, and a comparison of the tfjs runtime against
 * onnxruntime-node (the reference) on the same model and inputs.
 */
import { float as floatAttr, int as intAttr, ints as intsAttr, type AttrInput } from '../src/onnx/builder.js';
import type { HostTensor } from '../src/runtimes/runtime.js';
import tfjs from '../src/runtimes/tfjs.js';
import { floats, int64s, randomFloats, runOrt } from './helpers/tensors.js';
import { specModelBytes, type SpecGraph, type SpecNode } from './helpers/graph-spec.js';

export { floats, int64s, randomFloats, runOrt };

/** An attribute with its ONNX type said by its field (as in AttributeProto): exactly one is set. */
export interface Attr { i?: number; f?: number; ints?: number[]; s?: string; t?: HostTensor }
export const int = (i: number): Attr => ({ i });
export const float = (f: number): Attr => ({ f });
export const ints = (v: number[]): Attr => ({ ints: v });
export const str = (s: string): Attr => ({ s });
export const tensorAttr = (t: HostTensor): Attr => ({ t });

function toAttr(a: Attr): AttrInput {
  if (a.i !== undefined) return intAttr(a.i);
  if (a.f !== undefined) return floatAttr(a.f);
  if (a.ints !== undefined) return intsAttr(a.ints);
  if (a.s !== undefined) return a.s;
  if (a.t !== undefined) return a.t;
  throw new Error(`attribute ${JSON.stringify(a)}: set one of i, f, ints, s, t`);
}

export type NodeSpec = SpecNode<Attr>;
export type GraphSpec = SpecGraph<Attr>;

export function modelBytes(spec: GraphSpec): Uint8Array {
  return specModelBytes(spec, toAttr);
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
