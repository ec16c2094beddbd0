/**
 * Comparing two runs: configurations are matched, and for each the ratio of
 * median latencies (candidate / baseline) gets a bootstrap CI and a
 * Mann-Whitney test on the raw samples. A change counts when it is beyond the
 * threshold AND significant (p below alpha and the CI excluding 1), so noise
 * does not fail a CI job and a small real change does not either.
 */
import type { OkTrial, TrialResult } from '../results/types.js';
import { bootstrapRatioCI, mannWhitney, median } from '../stats/index.js';
import { configLabel } from './config-label.js';

export interface CompareOptions {
  /** A change smaller than this (percent of the baseline median) is never flagged. Default 5. */
  thresholdPct?: number;
  /** Significance level of the Mann-Whitney test. Default 0.05. */
  alpha?: number;
  /** Coverage of the ratio's CI. Default 0.95. */
  confidence?: number;
  /** Bootstrap resamples. Default 1000: enough for a 95% interval, and quick on large samples. */
  iterations?: number;
  seed?: number;
}

export type Verdict = 'regression' | 'improvement' | 'unchanged' | 'inconclusive';

export interface ComparisonRow {
  key: string;
  label: string;
  model: string;
  /** 'key' when the trial keys match; 'configuration' when only the readable configuration does (e.g. the model file changed). */
  matchedBy: 'key' | 'configuration';
  baselineMedianMs: number;
  candidateMedianMs: number;
  baselineN: number;
  candidateN: number;
  /** candidate median / baseline median: above 1 is slower. */
  ratio: number;
  ratioLow: number;
  ratioHigh: number;
  /** (ratio - 1) * 100. */
  changePct: number;
  pValue: number;
  /** p < alpha and the ratio's CI excludes 1. */
  significant: boolean;
  /** |changePct| >= threshold. */
  beyondThreshold: boolean;
  /** regression/improvement: significant and beyond threshold; inconclusive: beyond threshold, not significant. */
  verdict: Verdict;
}

export interface Comparison {
  thresholdPct: number;
  alpha: number;
  confidence: number;
  rows: ComparisonRow[];
  /** Configurations with ok samples in only one of the runs. */
  onlyInBaseline: string[];
  onlyInCandidate: string[];
  /** Matched configurations that could not be compared, with why (e.g. failed in one run). */
  notCompared: { label: string; reason: string }[];
  regressions: number;
  improvements: number;
}

interface Group { key: string; label: string; model: string; configId: string; order: number; trials: TrialResult[] }

/** Readable identity: the model path plus the configuration. Used when keys differ (a new model file). */
function configId(t: TrialResult): string {
  return `${t.model.path}\u0000${configLabel(t)}`;
}

function groupByKey(trials: TrialResult[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const t of trials) {
    let g = groups.get(t.key);
    if (!g) {
      g = { key: t.key, label: configLabel(t), model: t.model.path, configId: configId(t), order: groups.size, trials: [] };
      groups.set(t.key, g);
    }
    g.trials.push(t);
  }
  return groups;
}

/** Repetitions of one configuration are pooled: each is a fresh process measuring the same thing. */
function pooledSamples(g: Group): number[] {
  return g.trials.filter((t): t is OkTrial => t.status === 'ok').flatMap((t) => t.samplesMs ?? []);
}

function whyNot(g: Group): string {
  const t = g.trials.find((x) => x.status !== 'ok');
  if (!t) return 'no raw samples recorded';
  return t.status === 'failed' ? `failed: ${t.error.message}` : `skipped: ${t.reason}`;
}

export function compareRuns(baseline: TrialResult[], candidate: TrialResult[], opts: CompareOptions = {}): Comparison {
  const thresholdPct = opts.thresholdPct ?? 5;
  const alpha = opts.alpha ?? 0.05;
  const confidence = opts.confidence ?? 0.95;
  const a = groupByKey(baseline);
  const b = groupByKey(candidate);

  const pairs: [Group, Group, 'key' | 'configuration'][] = [];
  const unmatchedB = new Map([...b.values()].map((g) => [g.key, g]));
  const unmatchedA: Group[] = [];
  for (const ga of a.values()) {
    const gb = b.get(ga.key);
    if (gb) {
      pairs.push([ga, gb, 'key']);
      unmatchedB.delete(gb.key);
    } else {
      unmatchedA.push(ga);
    }
  }
  const onlyInBaseline: string[] = [];
  for (const ga of unmatchedA) {
    const gb = [...unmatchedB.values()].find((g) => g.configId === ga.configId);
    if (gb) {
      pairs.push([ga, gb, 'configuration']);
      unmatchedB.delete(gb.key);
    } else {
      onlyInBaseline.push(`${ga.model}: ${ga.label}`);
    }
  }

  // Grouped by model, then in the baseline's order (which is the sweep's: batch 1, 2, 4...).
  pairs.sort(([x], [y]) => (x.model < y.model ? -1 : x.model > y.model ? 1 : x.order - y.order));
  const rows: ComparisonRow[] = [];
  const notCompared: { label: string; reason: string }[] = [];
  for (const [ga, gb, matchedBy] of pairs) {
    const sa = pooledSamples(ga);
    const sb = pooledSamples(gb);
    if (sa.length === 0 || sb.length === 0) {
      notCompared.push({ label: `${ga.model}: ${ga.label}`, reason: sa.length === 0 ? `baseline ${whyNot(ga)}` : `candidate ${whyNot(gb)}` });
      continue;
    }
    const boot = bootstrapRatioCI(sa, sb, { iterations: opts.iterations ?? 1000, confidence, seed: opts.seed });
    const ratio = median(sb) / median(sa);
    const { pValue } = mannWhitney(sa, sb);
    const changePct = (ratio - 1) * 100;
    const significant = pValue < alpha && (boot.low > 1 || boot.high < 1);
    const beyondThreshold = Math.abs(changePct) >= thresholdPct;
    const verdict: Verdict = !beyondThreshold ? 'unchanged' : !significant ? 'inconclusive' : ratio > 1 ? 'regression' : 'improvement';
    rows.push({
      key: ga.key, label: ga.label, model: ga.model, matchedBy,
      baselineMedianMs: median(sa), candidateMedianMs: median(sb), baselineN: sa.length, candidateN: sb.length,
      ratio, ratioLow: boot.low, ratioHigh: boot.high, changePct, pValue, significant, beyondThreshold, verdict,
    });
  }
  return {
    thresholdPct, alpha, confidence, rows,
    onlyInBaseline,
    onlyInCandidate: [...unmatchedB.values()].map((g) => `${g.model}: ${g.label}`),
    notCompared,
    regressions: rows.filter((r) => r.verdict === 'regression').length,
    improvements: rows.filter((r) => r.verdict === 'improvement').length,
  };
}
