/**
 * Benchmark options: all optional on input, resolved once into a complete
 * object at the boundary (tinybench's habit), so nothing below guesses.
 */
import type { SettingValue } from '../results/types.js';
import type { StoppingRule } from '../runtimes/runtime.js';
import { DEFAULT_STOPPING } from '../engine/trial-spec.js';
import { InputError } from '../errors/input-error.js';
import type { BatchScan, EnsembleOptions, ServerOptions } from '../plan/to-options.js';

export interface BenchmarkOptions {
  /** Model file paths or zoo:NAME references. */
  model: string | string[];
  /** Runtime names or runtime:provider pairs; default ['ort-node']. */
  runtimes?: string[];
  providers?: string[];
  /** Setting grids: a bare name applies to every runtime that has it, `runtime.name` to one. */
  settings?: Record<string, SettingValue | SettingValue[]>;
  /** Default [1]. */
  batchSizes?: number[];
  /** Default ['single-stream']. */
  scenarios?: string[];
  dims?: Record<string, number>;
  shapes?: Record<string, number[]>;
  stopping?: Partial<StoppingRule>;
  /** Seed of the synthetic inputs; default 42. */
  seed?: number;
  /** Per-trial time limit; default 300 000 ms. */
  timeoutMs?: number;
  /** Run every trial this many times in fresh processes; default 1. */
  repeat?: number;
  /** Offline batch scan: the batch doubles from scan.from until throughput plateaus. Replaces batchSizes. */
  batchScan?: BatchScan;
  /** Options of the server scenario; its trials run at batch maxBatch. */
  server?: ServerOptions;
  /** Members of the ensemble scenario (models co-located on one device). */
  ensemble?: EnsembleOptions;
  /** Refuse sweeps that expand to more trials than this; default 100 000. */
  maxTrials?: number;
}

export interface ResolvedOptions {
  models: string[];
  runtimes: string[];
  providers: string[];
  settingsGrid: Record<string, SettingValue[]>;
  batchSizes: number[];
  scenarios: string[];
  dims: Record<string, number>;
  shapes: Record<string, number[]>;
  stopping: StoppingRule;
  seed: number;
  timeoutMs: number;
  repeat: number;
  scenarioOptions?: Record<string, unknown>;
}

export const DEFAULT_TIMEOUT_MS = 300_000;

export function resolveOptions(o: BenchmarkOptions): ResolvedOptions {
  const models = Array.isArray(o.model) ? o.model : [o.model];
  if (models.length === 0 || models.some((m) => typeof m !== 'string' || m.length === 0)) {
    throw new InputError('model', 'model: give a path to an .onnx file or zoo:NAME');
  }
  const stopping: StoppingRule = { ...DEFAULT_STOPPING, ...o.stopping };
  if (stopping.maxTimeMs < stopping.minTimeMs) {
    throw new InputError('--max-time', `--max-time ${stopping.maxTimeMs / 1000}s is shorter than --min-time ${stopping.minTimeMs / 1000}s; allowed: --max-time >= --min-time`);
  }
  const repeat = o.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new InputError('--repeat', `--repeat: ${JSON.stringify(repeat)} is not valid; allowed: integers >= 1`);
  return {
    models,
    runtimes: o.runtimes?.length ? o.runtimes : ['ort-node'],
    providers: o.providers ?? [],
    settingsGrid: Object.fromEntries(Object.entries(o.settings ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])),
    batchSizes: o.batchScan ? [o.batchScan.from] : o.batchSizes?.length ? o.batchSizes : [1],
    scenarios: o.scenarios?.length ? o.scenarios : ['single-stream'],
    dims: o.dims ?? {},
    shapes: o.shapes ?? {},
    stopping,
    seed: o.seed ?? 42,
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    repeat,
    ...(o.batchScan || o.server || o.ensemble ? {
      scenarioOptions: {
        ...(o.batchScan ? { scan: o.batchScan } : {}),
        ...(o.server ? { server: o.server } : {}),
        ...(o.ensemble ? { ensemble: o.ensemble } : {}),
      },
    } : {}),
  };
}
