/**
 * The small interface every runtime adapter implements. An adapter lives in
 * one file, is loaded lazily through the registry, and knows nothing of
 * statistics, probes or reports.
 */
import type { Settings, SettingValue } from '../results/types.js';

export type { DType, ElementType, HostTensor, StringTensor, Tensor, TensorInfo, TypedArray } from '../core/tensors.js';
import type { HostTensor, Tensor, TensorInfo } from '../core/tensors.js';

export interface SettingSpec {
  name: string;
  type: 'int' | 'number' | 'enum' | 'bool' | 'string';
  description: string;
  /** Allowed values for an enum. */
  values?: string[];
  min?: number;
  max?: number;
  default?: SettingValue;
}

export interface ProviderAvailability {
  name: string;
  available: boolean;
  /** Why it is unavailable, and what to do. */
  reason?: string;
}

export interface ModelSource {
  path?: string;
  bytes?: Uint8Array;
}

export interface SessionOptions {
  provider: string;
  settings: Settings;
  /** The shapes the trial will feed, by input name, for runtimes that specialise on them at load. */
  inputShapes?: Record<string, number[]>;
}

export type { LoopMeasurement, StoppingRule } from '../core/measurement.js';
import type { LoopMeasurement, StoppingRule } from '../core/measurement.js';
import type { BrowserContext, PageFigures } from '../results/types.js';

/**
 * One loaded model. `Prepared` is the runtime's own form of the feeds (what
 * `prepare` returns and `run` takes), `Raw` its own form of the outputs (what
 * `run` returns and `readOutputs` takes): an adapter names both, and needs no
 * casts. Callers that only pass them along (the runner, scenarios) use the
 * defaults.
 */
export interface Session<Prepared = unknown, Raw = unknown> {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  /** Turn host tensors (string tensors too, where the runtime holds them) into the runtime's own feeds; not timed. */
  prepare(feeds: Record<string, Tensor>): Prepared;
  /** Run once; resolves when the outputs are really available (after device sync). */
  run(prepared: Prepared): Promise<Raw>;
  /** Copy the outputs of `run` back to host tensors; not timed. A string output is refused by name: see readValues. */
  readOutputs(raw: Raw): Promise<Record<string, HostTensor>>;
  /**
   * Optional: the outputs of `run` with string tensors included, for runtimes
   * that can produce them (onnxruntime, tfjs). Measuring code, which only
   * times and averages numbers, keeps to readOutputs.
   */
  readValues?(raw: Raw): Promise<Record<string, Tensor>>;
  /**
   * Optional: a session that must time itself where it runs (a Python worker)
   * implements the whole loop; the runner then uses this instead of its own.
   */
  measureLoop?(prepared: Prepared, rule: StoppingRule): Promise<LoopMeasurement>;
  /** Optional: what a session hosted in a browser page measured about its page (after measureLoop). */
  pageFigures?(): PageFigures | undefined;
  /** Optional: a session hosted in a browser page says which browser and GPU it ran on, for the result's context. */
  browserContext?(): BrowserContext | undefined;
  dispose(): Promise<void>;
}

/** Where a runtime's code runs: the Node process, a Python worker, or a Chromium page. */
export type RuntimeHost = 'node' | 'python' | 'chromium';

export interface Runtime {
  readonly name: string;
  readonly description: string;
  /** Every provider the adapter knows, in preference order; the first is the default. */
  /** Where the runtime's code runs: this Node process, or a Python worker it starts. */
  readonly host: RuntimeHost;
  readonly providerNames: string[];
  readonly settings: SettingSpec[];
  /** Probe which providers can be used here; called once, results cached by the registry. */
  availability(): Promise<ProviderAvailability[]>;
  /** Package versions, e.g. { 'onnxruntime-node': '1.30.0' }. */
  versions(): Promise<Record<string, string>>;
  createSession(model: ModelSource, options: SessionOptions): Promise<Session>;
}
