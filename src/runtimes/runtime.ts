/**
 * The small interface every runtime adapter implements. An adapter lives in
 * one file, is loaded lazily through the registry, and knows nothing of
 * statistics, probes or reports.
 */
import type { Settings, SettingValue } from '../results/types.js';

export type DType = 'float32' | 'float64' | 'float16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

export type TypedArray =
  | Float32Array | Float64Array | Uint16Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/** A tensor in host memory, runtime-neutral. */
export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

/** Input or output metadata; a symbolic dimension is a string, an unknown one null. */
export interface TensorInfo {
  name: string;
  dtype: DType;
  shape: (number | string | null)[];
}

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
}

/** What a session's own measurement loop (e.g. inside a Python worker) returns. */
export interface LoopMeasurement {
  firstInferenceMs: number;
  warmupRuns: number;
  samplesMs: number[];
  converged: boolean;
  measuredS: number;
  timerOverheadMs: number;
  timerResolutionMs: number;
  /** Facts the loop counted beyond the samples (e.g. completed items of async requests). */
  extra?: Record<string, unknown>;
}

export interface StoppingRule {
  /** Runs after the first inference and before measuring. */
  warmupRuns: number;
  /** Warm-up stops early once it has taken this long (a slow model need not warm up for minutes). */
  warmupMaxMs?: number;
  minSamples: number;
  minTimeMs: number;
  maxTimeMs: number;
  /** Target CI95 half-width of the median, relative to the median (0.02 = 2%). */
  targetCiRel: number;
  /** Hard cap on samples, to bound memory. */
  maxSamples: number;
}

export interface Session {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  /** Turn host tensors into the runtime's own feeds; not timed. */
  prepare(feeds: Record<string, HostTensor>): unknown;
  /** Run once; resolves when the outputs are really available (after device sync). */
  run(prepared: unknown): Promise<unknown>;
  /** Copy the outputs of `run` back to host tensors; not timed. */
  readOutputs(raw: unknown): Promise<Record<string, HostTensor>>;
  /**
   * Optional: a session that must time itself where it runs (a Python worker)
   * implements the whole loop; the runner then uses this instead of its own.
   */
  measureLoop?(prepared: unknown, rule: StoppingRule): Promise<LoopMeasurement>;
  dispose(): Promise<void>;
}

export interface Runtime {
  readonly name: string;
  readonly description: string;
  /** Every provider the adapter knows, in preference order; the first is the default. */
  readonly providerNames: string[];
  readonly settings: SettingSpec[];
  /** Probe which providers can be used here; called once, results cached by the registry. */
  availability(): Promise<ProviderAvailability[]>;
  /** Package versions, e.g. { 'onnxruntime-node': '1.30.0' }. */
  versions(): Promise<Record<string, string>>;
  createSession(model: ModelSource, options: SessionOptions): Promise<Session>;
}
