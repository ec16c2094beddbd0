/**
 * The unified model API: load(path, { runtime, ...settings }) gives a model
 * whose predict(feeds) runs the feeds as given, faithful to ONNX: named
 * inputs of any shape (scalars included), outputs with their exact shapes, a
 * model without inputs runs with none. Batching happens only when asked:
 * with `batchSize`, inputs that carry the batch axis (the dimension named by
 * `batchDim`, or the model's batch-like symbolic dimension) are split into
 * batches that are pipelined (the next batch's tensors are prepared while
 * the current one runs); outputs that carry the batch axis are concatenated,
 * the others are returned once.
 */
import type { SettingValue } from '../results/types.js';
import type { Session, Tensor, TensorInfo } from '../runtimes/runtime.js';
import { getRuntime } from '../runtimes/registry.js';
import { resolveSettings } from '../runtimes/settings.js';
import { resolveModelRef } from '../zoo/resolve.js';
import { InputError } from '../errors/input-error.js';
import { readFile } from 'node:fs/promises';
import { decodeModel } from '../onnx/read.js';
import { modelNeeds, refusedValues } from '../onnx/model-needs.js';
import { readAllOutputs } from '../runtimes/read-values.js';
import { valueRefusal } from '../runtimes/value-support.js';
import { concatAxis, sliceAxis } from './batching.js';
import { checkFeeds, feedsByName } from './feeds.js';

export interface LoadOptions {
  /** Default 'ort-node'. */
  runtime?: string;
  /** Default: the runtime's first provider. */
  provider?: string;
  /** Items per runtime call; default: no splitting, one call with the feeds as given. */
  batchSize?: number;
  /** The symbolic dimension that is the batch axis (default: one whose name contains "batch", else a non-fixed first dimension). */
  batchDim?: string;
  /** Any of the runtime's settings (see `infermark runtimes`). */
  [setting: string]: SettingValue | undefined;
}

export interface Model {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  /** Items per runtime call, or undefined: one call with the whole feeds. */
  readonly batchSize: number | undefined;
  /**
   * x: one tensor (for a single-input model) or one per input name; nothing for a model without inputs.
   * String tensors ({ dtype: 'string', data: string[] }) go in and come out on ort-node, ort-web and tfjs.
   */
  predict(x?: Tensor | Record<string, Tensor>): Promise<Record<string, Tensor>>;
  dispose(): Promise<void>;
}

/** Where the batch axis is in a declared shape, or -1. `name` null: a first dimension that is not fixed. */
function batchAxisOf(shape: TensorInfo['shape'], name: string | null): number {
  if (name !== null) return shape.indexOf(name);
  return shape.length > 0 && typeof shape[0] !== 'number' ? 0 : -1;
}

/** The batch dimension's name: the one asked for, else a symbolic dimension named like a batch, else null. */
function batchNameOf(inputs: TensorInfo[], asked: string | undefined): string | null {
  if (asked !== undefined) {
    if (!inputs.some((i) => i.shape.includes(asked))) {
      const names = [...new Set(inputs.flatMap((i) => i.shape.filter((d): d is string => typeof d === 'string')))];
      throw new InputError('batchDim', `batchDim: no input has a dimension named ${JSON.stringify(asked)}; the model's symbolic dimensions: ${names.join(', ') || 'none'}`);
    }
    return asked;
  }
  for (const i of inputs) for (const d of i.shape) if (typeof d === 'string' && /batch/i.test(d)) return d;
  return null;
}

class OnnxModel implements Model {
  constructor(private readonly session: Session, readonly batchSize: number | undefined, private readonly batchName: string | null) {}

  get inputs() { return this.session.inputs; }
  get outputs() { return this.session.outputs; }

  private async runOnce(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    return readAllOutputs(this.session, await this.session.run(this.session.prepare(feeds)));
  }

  async predict(x?: Tensor | Record<string, Tensor>): Promise<Record<string, Tensor>> {
    const feeds = feedsByName(x, this.inputs);
    checkFeeds(feeds, this.inputs);
    if (this.batchSize === undefined) return this.runOnce(feeds);
    const axes = new Map(this.inputs.map((i) => [i.name, batchAxisOf(i.shape, this.batchName)]));
    const batched = Object.keys(feeds).filter((name) => (axes.get(name) ?? -1) >= 0);
    if (batched.length === 0) return this.runOnce(feeds);
    const rows = feeds[batched[0]].shape[axes.get(batched[0])!];
    for (const name of batched) {
      const n = feeds[name].shape[axes.get(name)!];
      if (n !== rows) throw new InputError(`x.${name}`, `x.${name}: ${n} items along the batch axis, but ${batched[0]} has ${rows}; every batched input needs the same number of items`);
    }
    const size = this.batchSize;
    const chunk = (i: number) => this.session.prepare(Object.fromEntries(Object.entries(feeds).map(([k, t]) => {
      const axis = axes.get(k) ?? -1;
      return [k, axis >= 0 ? sliceAxis(t, axis, i * size, Math.min(rows, (i + 1) * size)) : t];
    })));
    const batches = Math.ceil(rows / size);
    const parts: Record<string, Tensor>[] = [];
    let prepared = batches > 0 ? chunk(0) : undefined;
    for (let i = 0; i < batches; i++) {
      const running = this.session.run(prepared);
      // Pipelining: build the next batch's tensors while this one runs.
      prepared = i + 1 < batches ? chunk(i + 1) : undefined;
      parts.push(await readAllOutputs(this.session, await running));
    }
    if (parts.length === 0) return {};
    const outAxes = new Map(this.outputs.map((o) => [o.name, batchAxisOf(o.shape, this.batchName)]));
    return Object.fromEntries(Object.keys(parts[0]).map((name) => {
      const axis = outAxes.get(name) ?? -1;
      return [name, axis >= 0 && parts.every((p) => p[name].shape.length > axis) ? concatAxis(parts.map((p) => p[name]), axis) : parts[0][name]];
    }));
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}

/**
 * Sequence, map and optional values, and tensors of an element type the
 * runtime's API cannot carry (strings on torch, bfloat16 inputs and outputs
 * on onnxruntime), are refused by name before a session is made. TorchScript
 * files (zip archives) record no types and are left to the runtime.
 */
async function refuseNonTensorValues(file: string, runtime: string): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    return; // the runtime reports an unreadable file in its own words
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return;
  let needs;
  try {
    needs = modelNeeds(decodeModel(bytes));
  } catch {
    return;
  }
  const bad = needs.values.find((v) => !v.carried);
  if (bad) {
    throw new Error(bad.kind === 'tensor'
      ? `${bad.role} ${bad.name} of type ${bad.elemType}: not supported by ${runtime} (infermark's tensors carry numbers, booleans and strings)`
      : `${bad.role} ${bad.name} is ${bad.kind === 'optional' ? 'an' : 'a'} ${bad.kind}: not supported by ${runtime} (tensor inputs and outputs only)`);
  }
  const refused = refusedValues(needs, (role, name, elemType) => valueRefusal(runtime, role, name, elemType));
  if (refused.length > 0) throw new Error(refused[0]);
}

export async function load(path: string, options: LoadOptions = {}): Promise<Model> {
  const { runtime: runtimeName = 'ort-node', provider, batchSize, batchDim, ...rest } = options;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new InputError('batchSize', `batchSize: ${JSON.stringify(batchSize)} is not valid; allowed: integers >= 1 (or leave it out for one call with the feeds as given)`);
  }
  const runtime = await getRuntime(runtimeName);
  const chosen = provider ?? runtime.providerNames[0];
  if (!runtime.providerNames.includes(chosen)) {
    throw new InputError('provider', `provider: ${runtime.name} has no provider ${JSON.stringify(chosen)}; its providers: ${runtime.providerNames.join(', ')}`);
  }
  const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, SettingValue>;
  const settings = resolveSettings(runtime.name, runtime.settings, given);
  const { path: file } = await resolveModelRef(path);
  await refuseNonTensorValues(file, runtime.name);
  const session = await runtime.createSession({ path: file }, { provider: chosen, settings });
  try {
    const name = batchSize === undefined && batchDim === undefined ? null : batchNameOf(session.inputs, batchDim as string | undefined);
    return new OnnxModel(session, batchSize, name);
  } catch (err) {
    await session.dispose();
    throw err;
  }
}
