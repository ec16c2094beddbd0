/**
 * Benchmark options: all optional on input, resolved once into a complete
 * object at the boundary (tinybench's habit), so nothing below guesses.
 */
import { availableParallelism } from 'node:os';
import type { SettingValue } from '../results/types.js';
import type { StoppingRule } from '../runtimes/runtime.js';
import { DEFAULT_STOPPING } from '../engine/trial-spec.js';
import { InputError } from '../errors/input-error.js';

export type { BenchmarkOptions } from '../plan/benchmark-options.js';
import type { BenchmarkOptions } from '../plan/benchmark-options.js';

export interface ResolvedOptions {
  models: string[];
  runtimes: string[];
  providers: string[];
  settingsGrid: Record<string, SettingValue[]>;
  batchSizes: number[];
  scenarios: string[];
  dims: Record<string, number>;
  /** The symbolic dimension that carries the batch; found from the model when absent. */
  batchDim?: string;
  inputValues?: string[];
  inputsDir?: string;
  shapes: Record<string, number[]>;
  stopping: StoppingRule;
  seed: number;
  timeoutMs: number;
  cpus?: number[];
  repeat: number;
  scenarioOptions?: Record<string, unknown>;
}

export const DEFAULT_TIMEOUT_MS = 300_000;

/** Cores to pin to: distinct non-negative integers, each a core this machine has. */
function checkCpus(cpus: number[]): number[] {
  const have = availableParallelism();
  if (cpus.length === 0 || cpus.some((c) => !Number.isInteger(c) || c < 0 || c >= have) || new Set(cpus).size !== cpus.length) {
    throw new InputError('--cpus', `--cpus: ${JSON.stringify(cpus.join(','))} is not valid; allowed: distinct core numbers from 0 to ${have - 1}, e.g. 0,1`);
  }
  return [...cpus].sort((a, b) => a - b);
}

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
    ...(o.batchDim !== undefined ? { batchDim: o.batchDim } : {}),
    ...(o.inputValues?.length ? { inputValues: o.inputValues } : {}),
    ...(o.inputsDir !== undefined ? { inputsDir: o.inputsDir } : {}),
    shapes: o.shapes ?? {},
    stopping,
    seed: o.seed ?? 42,
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(o.cpus ? { cpus: checkCpus(o.cpus) } : {}),
    repeat,
    ...(o.batchScan || o.server || o.ensemble || o.scenarioOptions ? {
      scenarioOptions: {
        ...(o.batchScan ? { scan: o.batchScan } : {}),
        ...(o.server ? { server: o.server } : {}),
        ...(o.ensemble ? { ensemble: o.ensemble } : {}),
        ...o.scenarioOptions,
      },
    } : {}),
  };
}
