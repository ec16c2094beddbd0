/**
 * The library's benchmark(): the same sweep the `run` command performs,
 * returning the results instead of printing them.
 */
import type { TrialResult } from '../results/types.js';
import type { Probe } from '../probes/probe.js';
import type { TrialSpec } from '../engine/trial-spec.js';
import { resolveOptions, type BenchmarkOptions } from './options.js';
import { prepareTrials } from './prepare.js';
import { runSweep, type SweepProgress } from '../engine/sweep.js';
import { executeEnsembleProcesses } from '../scenarios/ensemble-processes.js';
import { OutputChecker } from '../engine/check-outputs.js';
import { JsonlWriter, readJsonl, resumeId } from '../results/jsonl.js';

export interface BenchmarkRunOptions extends BenchmarkOptions {
  /** JSON Lines file every finished trial is appended to at once. */
  out?: string;
  /** Skip trials already in `out`. */
  resume?: boolean;
  /** A fresh probe set for each trial. */
  probes?: (spec: TrialSpec) => Probe[];
  onProgress?: (p: SweepProgress) => void;
  onResult?: (r: TrialResult) => void;
  /** Compare every trial's outputs with onnxruntime-node (cpu, no graph optimisation) on the same input; default true. */
  checkOutputs?: boolean;
  /** Add efficiency figures (MACs per item, GFLOP/s, share of the runtime's peak); default true. */
  efficiency?: boolean;
  /** Only the trials this accepts, by their index in the expanded plan (one shard of a fleet run). */
  select?: (spec: TrialSpec, index: number) => boolean;
  /** Results recorded elsewhere (a shared store): their trials are not run again. */
  done?: TrialResult[];
  /** Called once the trials are known, before any runs. */
  onPlan?: (trials: TrialSpec[], alreadyDone: number) => void;
}

/** Validate the options and expand them into trials, without running any. */
export function planTrials(options: BenchmarkOptions): Promise<TrialSpec[]> {
  return prepareTrials(resolveOptions(options));
}

export async function benchmark(options: BenchmarkRunOptions): Promise<TrialResult[]> {
  const planned = await planTrials(options);
  const trials = options.select ? planned.filter((t, i) => options.select!(t, i)) : planned;
  const done = [...(options.done ?? []), ...(options.resume && options.out ? readJsonl(options.out).results : [])];
  const writer = options.out ? new JsonlWriter(options.out) : undefined;
  const checker = options.checkOutputs === false ? undefined : new OutputChecker();
  const doneIds = new Set(done.map(resumeId));
  options.onPlan?.(trials, trials.filter((t) => doneIds.has(resumeId(t))).length);
  try {
    return await runSweep(trials, {
      done,
      probes: options.probes,
      checker,
      efficiency: options.efficiency !== false,
      execute: (spec, probes, onPhase) => (spec.scenario === 'ensemble' && (spec.scenarioOptions?.ensemble as { mode: string }).mode === 'processes'
        ? executeEnsembleProcesses(spec, probes, onPhase)
        : undefined),
      onProgress: options.onProgress,
      onResult: (r) => {
        writer?.append(r);
        options.onResult?.(r);
      },
    });
  } finally {
    writer?.close();
    checker?.close();
  }
}
