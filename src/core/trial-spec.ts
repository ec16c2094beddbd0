/**
 * What one trial is: everything the runner needs, serialisable over IPC.
 * Built once in the parent from validated input, so the runner never sees
 * anything unchecked.
 */
import { createHash } from 'node:crypto';
import type { Settings } from '../results/types.js';
import type { StoppingRule } from './measurement.js';

/** A value the user gave for one input: a constant broadcast to its shape, or a tensor file (.npy, .pb, .json). */
export type GivenInput = { constant: number } | { file: string };

export interface TrialSpec {
  key: string;
  /** The model as the user named it (a path or zoo:NAME). */
  modelRef: string;
  /** The file the runner loads. */
  modelPath: string;
  modelSha256: string;
  modelSizeBytes: number;
  /** Set for a framework's own file (TorchScript for torch; SavedModel or .keras for tensorflow); absent for ONNX. */
  modelFormat?: 'torchscript' | 'savedmodel' | 'keras' | 'tfjs';
  runtime: string;
  provider: string;
  settings: Settings;
  batchSize: number;
  scenario: string;
  /** Concrete shape of every input, batch included. */
  inputShapes: Record<string, number[]>;
  /** Integer inputs get values in [lo, hi): token ids stay inside the vocabulary. */
  intRanges: Record<string, [number, number]>;
  /** Inputs with values the user gave (--input, --inputs); the others are synthesised. */
  givenInputs?: Record<string, GivenInput>;
  stopping: StoppingRule;
  seed: number;
  timeoutMs: number;
  /** Cores the runner and every thread it starts are pinned to (--cpus); absent: not pinned. */
  cpus?: number[];
  repetition?: number;
  /** Scenario-specific options (server rate, ensemble members...). */
  scenarioOptions?: Record<string, unknown>;
  /** When set, the runner writes the first inference's outputs here, for output checks. */
  outputsPath?: string;
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** The trial key: model hash, runtime, provider, settings, batch, scenario and input shapes. */
export function trialKey(parts: {
  modelSha256: string; runtime: string; provider: string; settings: Settings; batchSize: number; scenario: string;
  inputShapes: Record<string, number[]>; scenarioOptions?: Record<string, unknown>; givenInputs?: Record<string, GivenInput>;
}): string {
  const canonical = JSON.stringify([
    parts.modelSha256, parts.runtime, parts.provider, sortKeys(parts.settings), parts.batchSize, parts.scenario,
    sortKeys(parts.inputShapes), parts.scenarioOptions ? sortKeys(parts.scenarioOptions) : null,
    // Only when given, so the keys of trials with synthesised inputs stay as they were.
    ...(parts.givenInputs ? [sortKeys(parts.givenInputs)] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export const DEFAULT_STOPPING: StoppingRule = {
  warmupRuns: 3,
  warmupMaxMs: 2000,
  minSamples: 10,
  minTimeMs: 1000,
  maxTimeMs: 10_000,
  targetCiRel: 0.02,
  maxSamples: 100_000,
};

/** The same trial at another batch size (the batch scan's next step). */
export function withBatchSize(spec: TrialSpec, batchSize: number): TrialSpec {
  const inputShapes = Object.fromEntries(Object.entries(spec.inputShapes).map(([k, s]) => [k, [batchSize, ...s.slice(1)]]));
  const key = trialKey({ ...spec, batchSize, inputShapes });
  return { ...spec, batchSize, inputShapes, key };
}
