/**
 * A plan's trials, numbered in expansion order across its entries, and
 * which of them are finished. The submitter and every worker expand the same plan the
 * same way, so a trial is named by its number (shards: launchers/cluster.ts).
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
