/**
 * The unified model API of the studies this project reproduces:
 * load(path, { runtime, batchSize, ...settings }) gives a model whose
 * predict(x) splits x into batches and pipelines them: the next batch's
 * input tensor is prepared while the current one runs.
 */
import type { SettingValue } from '../results/types.js';
import type { HostTensor, Session, TensorInfo, TypedArray } from '../runtimes/runtime.js';
import { getRuntime } from '../runtimes/registry.js';
import { resolveSettings } from '../runtimes/settings.js';
import { resolveModelRef } from '../zoo/resolve.js';
import { InputError } from '../errors/input-error.js';
import { elementCount } from '../runtimes/tensors.js';

export interface LoadOptions {
  /** Default 'ort-node'. */
  runtime?: string;
  /** Default: the runtime's first provider. */
  provider?: string;
  /** Items per runtime call; default 1. */
  batchSize?: number;
  /** Any of the runtime's settings (see `infermark runtimes`). */
  [setting: string]: SettingValue | undefined;
}

export interface Model {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  readonly batchSize: number;
  /** x: one tensor (for a single-input model) or one per input name, all with the same first dimension. */
  predict(x: HostTensor | Record<string, HostTensor>): Promise<Record<string, HostTensor>>;
  dispose(): Promise<void>;
}

function sliceRows(t: HostTensor, start: number, end: number): HostTensor {
  const row = elementCount(t.shape.slice(1));
  return { dtype: t.dtype, shape: [end - start, ...t.shape.slice(1)], data: t.data.subarray(start * row, end * row) as TypedArray };
}

function concatRows(parts: HostTensor[]): HostTensor {
  const first = parts[0];
  const rows = parts.reduce((n, p) => n + (p.shape[0] ?? 1), 0);
  const total = parts.reduce((n, p) => n + p.data.length, 0);
  const data = new (first.data.constructor as new (n: number) => TypedArray)(total);
  let offset = 0;
  for (const p of parts) {
    (data as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(p.data as ArrayLike<unknown>, offset);
    offset += p.data.length;
  }
  return { dtype: first.dtype, shape: [rows, ...first.shape.slice(1)], data };
}

class BatchedModel implements Model {
  constructor(private readonly session: Session, readonly batchSize: number) {}

  get inputs() { return this.session.inputs; }
  get outputs() { return this.session.outputs; }

  private feedsOf(x: HostTensor | Record<string, HostTensor>): Record<string, HostTensor> {
    if ('dtype' in x && 'shape' in x && 'data' in x) {
      if (this.inputs.length !== 1) {
        throw new InputError('x', `x: the model has ${this.inputs.length} inputs (${this.inputs.map((i) => i.name).join(', ')}); pass an object keyed by input name`);
      }
      return { [this.inputs[0].name]: x as HostTensor };
    }
    return x as Record<string, HostTensor>;
  }

  async predict(x: HostTensor | Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
    const feeds = this.feedsOf(x);
    const rows = Object.values(feeds)[0]?.shape[0] ?? 0;
    for (const [name, t] of Object.entries(feeds)) {
      if (t.shape[0] !== rows) throw new InputError(`x.${name}`, `x.${name}: first dimension ${t.shape[0]} differs from ${rows}; every input needs the same number of items`);
    }
    const chunk = (i: number) => {
      const end = Math.min(rows, (i + 1) * this.batchSize);
      return this.session.prepare(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, sliceRows(t, i * this.batchSize, end)])));
    };
    const batches = Math.ceil(rows / this.batchSize);
    const parts: Record<string, HostTensor>[] = [];
    let prepared = batches > 0 ? chunk(0) : undefined;
    for (let i = 0; i < batches; i++) {
      const running = this.session.run(prepared);
      // Pipelining: build the next batch's tensors while this one runs.
      prepared = i + 1 < batches ? chunk(i + 1) : undefined;
      parts.push(await this.session.readOutputs(await running));
    }
    if (parts.length === 0) return {};
    return Object.fromEntries(Object.keys(parts[0]).map((name) => [name, concatRows(parts.map((p) => p[name]))]));
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}

export async function load(path: string, options: LoadOptions = {}): Promise<Model> {
  const { runtime: runtimeName = 'ort-node', provider, batchSize = 1, ...rest } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InputError('batchSize', `batchSize: ${JSON.stringify(batchSize)} is not valid; allowed: integers >= 1`);
  const runtime = await getRuntime(runtimeName);
  const chosen = provider ?? runtime.providerNames[0];
  if (!runtime.providerNames.includes(chosen)) {
    throw new InputError('provider', `provider: ${runtime.name} has no provider ${JSON.stringify(chosen)}; its providers: ${runtime.providerNames.join(', ')}`);
  }
  const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, SettingValue>;
  const settings = resolveSettings(runtime.name, runtime.settings, given);
  const { path: file } = await resolveModelRef(path);
  const session = await runtime.createSession({ path: file }, { provider: chosen, settings });
  return new BatchedModel(session, batchSize);
}
