/**
 * What a benchmark is asked for: all optional, as a library user or a plan
 * entry gives it. api/options.ts resolves it once into a complete object.
 */
import type { SettingValue } from '../results/types.js';
import type { StoppingRule } from '../core/measurement.js';
import type { BatchScan } from '../scenarios/batch-scan.js';
import type { ServerOptions } from '../scenarios/server.js';
import type { EnsembleOptions } from '../scenarios/ensemble.js';

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
  /** The symbolic dimension that carries the batch (e.g. "batch" in a state [2, batch, 64]); found from the model when absent. */
  batchDim?: string;
  /** Input values: NAME=VALUE (a constant) or NAME=FILE (.npy, .pb, .json); the other inputs are synthesised. */
  inputValues?: string[];
  /** A test_data_set folder (input_K.pb) giving input values. */
  inputsDir?: string;
  shapes?: Record<string, number[]>;
  stopping?: Partial<StoppingRule>;
  /** Seed of the synthetic inputs; default 42. */
  seed?: number;
  /** Per-trial time limit; default 300 000 ms. */
  timeoutMs?: number;
  /** Pin each runner and every thread it starts to these cores (like taskset -c). */
  cpus?: number[];
  /** Run every trial this many times in fresh processes; default 1. */
  repeat?: number;
  /** Offline batch scan: the batch doubles from scan.from until throughput plateaus. Replaces batchSizes. */
  batchScan?: BatchScan;
  /** Options of the server scenario; its trials run at batch maxBatch. */
  server?: ServerOptions;
  /** Members of the ensemble scenario (models co-located on one device). */
  ensemble?: EnsembleOptions;
  /** Any scenario's typed options under its key (its flags give them); they win over `server` and `ensemble`. */
  scenarioOptions?: Record<string, unknown>;
  /** Refuse sweeps that expand to more trials than this; default 100 000. */
  maxTrials?: number;
}
