/**
 * What every report section starts from: the runs' trials grouped by model,
 * each trial tagged with its run and a readable configuration label.
 */
import type { OkTrial, TrialResult } from '../results/types.js';
import type { StoredRun } from '../store/types.js';
import { configLabel, seriesLabel } from '../analysis/config-label.js';

export interface LabelledTrial {
  runId: string;
  /** Configuration label; prefixed with the run id when the report covers several runs. */
  label: string;
  /** The same without the batch size: one line in a chart. */
  series: string;
  trial: TrialResult;
}

export interface ModelGroup {
  path: string;
  sha256: string;
  trials: LabelledTrial[];
}

export function labelTrials(runs: StoredRun[]): LabelledTrial[] {
  const many = runs.length > 1;
  return runs.flatMap(({ run, trials }) => trials.map((trial) => ({
    runId: run.id,
    label: many ? `${run.id} ${configLabel(trial)}` : configLabel(trial),
    series: many ? `${run.id} ${seriesLabel(trial)}` : seriesLabel(trial),
    // Across runs the same key is a different measurement, not a repetition: keep them apart.
    trial: many ? { ...trial, key: `${run.id}:${trial.key}` } : trial,
  })));
}

/** By model sha256 (path when there is none), in order of first appearance. */
export function groupByModel(runs: StoredRun[]): ModelGroup[] {
  const groups = new Map<string, ModelGroup>();
  for (const lt of labelTrials(runs)) {
    const id = lt.trial.model.sha256 || lt.trial.model.path;
    if (!groups.has(id)) groups.set(id, { path: lt.trial.model.path, sha256: lt.trial.model.sha256, trials: [] });
    groups.get(id)!.trials.push(lt);
  }
  return [...groups.values()];
}

export function okOnly(trials: LabelledTrial[]): (LabelledTrial & { trial: OkTrial })[] {
  return trials.filter((t): t is LabelledTrial & { trial: OkTrial } => t.trial.status === 'ok');
}

/**
 * When several runs are reported together, whether they share anything: a
 * model, or a configuration key. If not, the report says so instead of
 * drawing charts that invite comparison.
 */
export function sharedAcrossRuns(runs: StoredRun[]): { models: number; keys: number } | undefined {
  if (runs.length < 2) return undefined;
  const sets = runs.map((r) => ({ models: new Set(r.trials.map((t) => t.model.sha256 || t.model.path)), keys: new Set(r.trials.map((t) => t.key)) }));
  const common = (pick: (s: (typeof sets)[number]) => Set<string>): number =>
    [...pick(sets[0])].filter((x) => sets.every((s) => pick(s).has(x))).length;
  return { models: common((s) => s.models), keys: common((s) => s.keys) };
}
