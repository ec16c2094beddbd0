/**
 * A plan's trials, numbered in expansion order across its entries, and how
 * they are dealt out to the tasks of one Slurm array. The submitter and every
 * task expand the same plan the same way, so a trial is named by its number.
 */
import { planTrials } from '../api/benchmark.js';
import type { TrialSpec } from '../engine/trial-spec.js';
import type { RunEntry } from '../cli/run-entries.js';
import { resumeId } from '../results/jsonl.js';
import type { TrialResult } from '../results/types.js';

export interface NumberedTrial {
  /** Position in the whole plan, across entries. */
  index: number;
  entry: number;
  /** Position within its entry's expansion (what benchmark()'s select sees). */
  indexInEntry: number;
  spec: TrialSpec;
}

export async function numberTrials(entries: RunEntry[]): Promise<NumberedTrial[]> {
  const out: NumberedTrial[] = [];
  for (const [entry, e] of entries.entries()) {
    const specs = await planTrials(e.bench);
    specs.forEach((spec, indexInEntry) => out.push({ index: out.length, entry, indexInEntry, spec }));
  }
  return out;
}

/** A trial counts as done once it is ok or skipped; a failed one (a lost node, say) runs again on resume. */
export function finishedIds(results: TrialResult[]): Set<string> {
  return new Set(results.filter((r) => r.status !== 'failed').map(resumeId));
}

/**
 * Deals the trials round-robin to `tasks` shards, so each shard gets a mix of
 * the plan (cheap and costly settings alike) and shards finish close together.
 */
export function dealShards(indices: number[], tasks: number): number[][] {
  const shards: number[][] = Array.from({ length: Math.min(tasks, indices.length) }, () => []);
  indices.forEach((trial, i) => shards[i % shards.length].push(trial));
  return shards;
}

/** How many array tasks: one per trial, or --max-parallel shards when given (each runs its trials in turn). */
export function taskCount(trials: number, maxParallel?: number): number {
  return Math.max(1, Math.min(trials, maxParallel ?? trials));
}
