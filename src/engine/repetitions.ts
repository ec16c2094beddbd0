/** Across repetitions of the same trial (--repeat): the spread of the medians and a CI of their mean. */
import type { OkTrial, TrialResult } from '../results/types.js';
import { boundedMeanCI, medianOfSorted, sortedCopy } from '../stats/index.js';

export interface RepetitionSummary {
  key: string;
  label: string;
  n: number;
  mediansMs: number[];
  medianOfMediansMs: number;
  meanMs: number;
  /** Between-process CI95 of the mean (bootstrap, never outside the medians' range); absent with too few runs. */
  ciLowMs?: number;
  ciHighMs?: number;
  /** Why there is no interval. */
  tooFew?: string;
  /** (max - min) / median of the medians. */
  spreadRel: number;
}

export function repetitionSummaries(results: TrialResult[]): RepetitionSummary[] {
  const byKey = new Map<string, OkTrial[]>();
  for (const r of results) {
    if (r.status !== 'ok' || r.repetition === undefined) continue;
    byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  }
  const out: RepetitionSummary[] = [];
  for (const [key, runs] of byKey) {
    if (runs.length < 2) continue;
    const medians = runs.map((r) => r.latencyMs.median);
    const sorted = sortedCopy(medians);
    const mid = medianOfSorted(sorted);
    const ci = boundedMeanCI(medians, 0.95);
    const r0 = runs[0];
    out.push({
      key,
      label: `${r0.model.path} ${r0.runtime}/${r0.provider} ${Object.entries(r0.settings).map(([k, v]) => `${k}=${v}`).join(' ')} batch ${r0.batchSize}`.replace(/\s+/g, ' '),
      n: runs.length,
      mediansMs: medians,
      medianOfMediansMs: mid,
      meanMs: ci.mean,
      ...('tooFew' in ci ? { tooFew: ci.tooFew } : { ciLowMs: ci.low, ciHighMs: ci.high }),
      spreadRel: (sorted[sorted.length - 1] - sorted[0]) / mid,
    });
  }
  return out;
}
