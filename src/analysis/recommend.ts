/**
 * The recommendation at the end of a sweep: per model, the best configuration
 * for each objective, its margin over the runner-up, whether that margin is
 * significant, and the Pareto set. Pure: results in, a Recommendation out.
 */
import { countedRateCI, itemsPerCall } from './counted-rate-ci.js';
import type { OkTrial, TrialResult } from '../results/types.js';
import { boundedMeanCI, MIN_VALUES_FOR_INTERVAL, sortedCopy } from '../stats/index.js';
import { configLabel } from './config-label.js';
import { quantileCI, samplesNeededForQuantileCI } from './quantile-ci.js';


export type Objective = 'latency-p99' | 'throughput' | 'energy-per-item' | 'memory';

export interface Candidate {
  key: string;
  label: string;
  value: number;
  /** ms, items/s, J/item or bytes. */
  unit: string;
  /** 95% CI of `value`, when one exists. */
  ciLow?: number;
  ciHigh?: number;
  /** Trials behind the figure (repetitions in fresh processes). */
  repetitions: number;
}

export interface ObjectiveResult {
  objective: Objective;
  title: string;
  better: 'lower' | 'higher';
  unit: string;
  winner?: Candidate;
  runnerUp?: Candidate;
  /** How much better the winner is than the runner-up, in percent of the runner-up's value. */
  marginPct?: number;
  /** The winner's and runner-up's CIs do not overlap. False when either has no CI. */
  significant: boolean;
  /** Why there is no winner, or why significance could not be judged. */
  note?: string;
}

export interface ModelRecommendation {
  model: { path: string; sha256: string };
  /** Configurations with at least one ok trial. */
  configurations: number;
  objectives: ObjectiveResult[];
  /** Keys of the configurations no other configuration dominates. */
  paretoKeys: string[];
  /** The same set with readable labels, in the order of paretoKeys. */
  pareto: { key: string; label: string }[];
  /** The objectives the Pareto set was computed over. */
  paretoObjectives: Objective[];
  /** Configurations left out of every ranking and of the Pareto set, with the reason. */
  excluded: ExcludedConfiguration[];
}

export interface ExcludedConfiguration {
  key: string;
  label: string;
  reason: string;
}

export interface Recommendation {
  models: ModelRecommendation[];
}

const UNITS: Record<Objective, string> = { 'latency-p99': 'ms', throughput: 'items/s', 'energy-per-item': 'J/item', memory: 'bytes' };
const TITLES: Record<Objective, string> = {
  'latency-p99': 'lowest p99 latency',
  throughput: 'highest throughput',
  'energy-per-item': 'least energy per inference',
  memory: 'least memory (peak RSS)',
};
const BETTER: Record<Objective, 'lower' | 'higher'> = { 'latency-p99': 'lower', throughput: 'higher', 'energy-per-item': 'lower', memory: 'lower' };
const OBJECTIVES: Objective[] = ['latency-p99', 'throughput', 'energy-per-item', 'memory'];

/** One figure of one trial, with its CI when the trial alone gives one. */
interface Figure { value: number; ciLow?: number; ciHigh?: number }

function p99Figure(t: OkTrial): Figure {
  const ci = t.samplesMs?.length ? quantileCI(sortedCopy(t.samplesMs), 0.99) : undefined;
  return { value: t.latencyMs.p99, ciLow: ci?.low, ciHigh: ci?.high };
}

function throughputFigure(t: OkTrial): Figure {
  // Throughput is counted over the window: its within-process CI comes from the counted rates of consecutive blocks of calls.
  const ci = t.calls ? countedRateCI(t.calls, itemsPerCall(t)) : undefined;
  return { value: t.throughputPerS, ciLow: ci?.low, ciHigh: ci?.high };
}

/** Measured energy only: an estimate is a model, and ranking by it would pass a guess off as a finding. */
function energyFigure(t: OkTrial): Figure | undefined {
  const e = t.energy;
  if (!e || e.estimated || e.totalEnergyJ === undefined || e.energyPerItemJ === undefined) return undefined;
  return { value: e.energyPerItemJ };
}

function memoryFigure(t: OkTrial): Figure | undefined {
  return t.memory ? { value: t.memory.peakRssBytes } : undefined;
}

const FIGURES: Record<Objective, (t: OkTrial) => Figure | undefined> = {
  'latency-p99': p99Figure,
  throughput: throughputFigure,
  'energy-per-item': energyFigure,
  memory: memoryFigure,
};

/** Repetitions of one key: a single trial keeps its own CI; several get a CI of their mean. */
function candidate(objective: Objective, trials: OkTrial[]): Candidate | undefined {
  const figures = trials.map(FIGURES[objective]).filter((f): f is Figure => f !== undefined);
  if (figures.length === 0) return undefined;
  const base = { key: trials[0].key, label: configLabel(trials[0]), unit: UNITS[objective], repetitions: figures.length };
  if (figures.length === 1) return { ...base, ...figures[0] };
  // Across fresh processes the between-process interval is the one that counts; a trial's own CI is narrower than the spread between processes.
  const ci = boundedMeanCI(figures.map((f) => f.value));
  return 'tooFew' in ci ? { ...base, value: ci.mean } : { ...base, value: ci.mean, ciLow: ci.low, ciHigh: ci.high };
}

function hasCI(c: Candidate): c is Candidate & { ciLow: number; ciHigh: number } {
  return c.ciLow !== undefined && c.ciHigh !== undefined && Number.isFinite(c.ciLow) && Number.isFinite(c.ciHigh);
}

/** Percent by which the winner beats the runner-up, relative to the runner-up. */
function marginPercent(better: 'lower' | 'higher', winner: number, runnerUp: number): number {
  if (runnerUp === 0) return 0;
  return better === 'lower' ? ((runnerUp - winner) / runnerUp) * 100 : ((winner - runnerUp) / runnerUp) * 100;
}

function rank(objective: Objective, groups: OkTrial[][]): ObjectiveResult {
  const better = BETTER[objective];
  const result: ObjectiveResult = { objective, title: TITLES[objective], better, unit: UNITS[objective], significant: false };
  const candidates = groups.map((g) => candidate(objective, g)).filter((c): c is Candidate => c !== undefined);
  if (candidates.length === 0) {
    result.note = objective === 'energy-per-item'
      ? 'no measured energy (estimates are not ranked): run where RAPL or NVML can be read'
      : objective === 'memory' ? 'no memory figures were recorded' : 'no ok trials';
    return result;
  }
  candidates.sort((a, b) => (better === 'lower' ? a.value - b.value : b.value - a.value) || (a.label < b.label ? -1 : 1));
  result.winner = candidates[0];
  if (candidates.length === 1) {
    result.note = 'only one configuration has this figure';
    return result;
  }
  const [w, r] = candidates;
  result.runnerUp = r;
  result.marginPct = marginPercent(better, w.value, r.value);
  if (hasCI(w) && hasCI(r)) {
    result.significant = better === 'lower' ? w.ciHigh < r.ciLow : w.ciLow > r.ciHigh;
    if (!result.significant) result.note = 'the confidence intervals overlap: the winner may not really be better';
  } else if (objective === 'latency-p99') {
    const n = samplesNeededForQuantileCI(0.99);
    result.note = `too few samples for a 95% CI of p99 (needs ${n}): raise --min-samples to judge significance`;
  } else if (Math.max(w.repetitions, r.repetitions) > 1) {
    result.note = `fewer than ${MIN_VALUES_FOR_INTERVAL} repetitions give no interval: raise --repeat to judge significance`;
  } else {
    result.note = 'one measurement per configuration gives no CI: repeat trials (repetitions) to judge significance';
  }
  return result;
}

interface Point { key: string; label: string; p99: number; throughput: number; energy?: number; memory?: number }

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function pareto(groups: OkTrial[][]): { front: { key: string; label: string }[]; objectives: Objective[] } {
  const points: Point[] = groups.map((g) => {
    const energies = g.map(energyFigure).filter((f): f is Figure => f !== undefined).map((f) => f.value);
    const memories = g.map(memoryFigure).filter((f): f is Figure => f !== undefined).map((f) => f.value);
    return {
      key: g[0].key,
      label: configLabel(g[0]),
      p99: mean(g.map((t) => t.latencyMs.p99)),
      throughput: mean(g.map((t) => t.throughputPerS)),
      energy: energies.length ? mean(energies) : undefined,
      memory: memories.length ? mean(memories) : undefined,
    };
  });
  // A dimension counts only when every configuration has it: a missing figure cannot be compared.
  const objectives: Objective[] = ['latency-p99', 'throughput'];
  const useEnergy = points.every((p) => p.energy !== undefined);
  const useMemory = points.every((p) => p.memory !== undefined);
  if (useEnergy) objectives.push('energy-per-item');
  if (useMemory) objectives.push('memory');
  // As "lower is better" vectors.
  const vec = (p: Point): number[] => [p.p99, -p.throughput, ...(useEnergy ? [p.energy!] : []), ...(useMemory ? [p.memory!] : [])];
  const dominates = (a: number[], b: number[]): boolean => a.every((x, i) => x <= b[i]) && a.some((x, i) => x < b[i]);
  const vecs = points.map(vec);
  const front = points.filter((_, i) => !vecs.some((v, j) => j !== i && dominates(v, vecs[i]))).map((p) => ({ key: p.key, label: p.label }));
  return { front, objectives };
}

/** Why a configuration cannot be recommended, or undefined when every one of its trials is sound. */
function exclusionReason(trials: TrialResult[]): string | undefined {
  const failed = trials.find((t) => t.status === 'failed');
  if (failed?.status === 'failed') return `failed: ${failed.error.message}`;
  if (trials.every((t) => t.status === 'skipped')) return undefined;
  for (const t of trials) {
    const a = t.agreement;
    if (a?.withinTolerance === false || a?.mismatch) {
      return `outputs disagree with the reference${typeof a.maxAbsError === 'number' ? ` (max abs error ${a.maxAbsError.toPrecision(3)})` : ''}${a.mismatch ? `: ${a.mismatch}` : ''}`;
    }
  }
  if (trials.some((t) => t.status === 'ok' && !t.converged)) return 'did not converge: its median is not known to the asked precision (raise --max-time)';
  return undefined;
}

export function recommend(results: TrialResult[]): Recommendation {
  const byModel = new Map<string, Map<string, TrialResult[]>>();
  for (const r of results) {
    const id = r.model.sha256 || r.model.path;
    if (!byModel.has(id)) byModel.set(id, new Map());
    const byKey = byModel.get(id)!;
    if (!byKey.has(r.key)) byKey.set(r.key, []);
    byKey.get(r.key)!.push(r);
  }
  const models: ModelRecommendation[] = [];
  for (const byKey of byModel.values()) {
    const groups: OkTrial[][] = [];
    const excluded: ExcludedConfiguration[] = [];
    for (const trials of byKey.values()) {
      const reason = exclusionReason(trials);
      if (reason) excluded.push({ key: trials[0].key, label: configLabel(trials[0]), reason });
      else {
        const ok = trials.filter((t): t is OkTrial => t.status === 'ok');
        if (ok.length) groups.push(ok);
      }
    }
    if (groups.length === 0 && excluded.length === 0) continue;
    const first = [...byKey.values()][0][0];
    const front = groups.length ? pareto(groups) : { front: [], objectives: [] as Objective[] };
    models.push({
      model: { path: first.model.path, sha256: first.model.sha256 },
      configurations: groups.length,
      objectives: OBJECTIVES.map((o) => rank(o, groups)),
      paretoKeys: front.front.map((p) => p.key),
      pareto: front.front,
      paretoObjectives: front.objectives,
      excluded,
    });
  }
  return { models };
}
