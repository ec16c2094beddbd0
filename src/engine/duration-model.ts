/**
 * How long a trial should take, learned from measured speed: the same trial's
 * wall time in earlier runs, else the median latency and load time of the
 * same configuration, or of the model on its runtime (from the sweep's
 * finished trials, or earlier runs in the database), put through what the
 * stopping rule and the scenario plan to do (a batch scan: the steps it may
 * take, each by the chance of reaching it). Without a measurement the
 * stopping rule alone gives a range. Pure.
 */
import type { OkTrial, Settings, TrialResult } from '../results/types.js';
import type { TrialSpec } from './trial-spec.js';
import type { DurationContext, Speed } from '../scenarios/scenario.js';
import { findScenario } from '../scenarios/registry.js';
import { normalCdf } from '../stats/normal.js';
import { medianOfSorted } from '../stats/quantile.js';
import { mean } from '../stats/summary.js';
import { referenceId } from './reference-id.js';
import { runsOnGpu } from '../probes/gpu-peak.js';

export type { Speed };

/** Starting a runner process: a floor per trial, measured on a 2-core machine. */
export const STARTUP_MS = 1500;

/**
 * What a trial should cost when nothing was measured for its model and runtime: the per-item time
 * from the model's MACs over a GFLOP/s expected here, and a load time from the model's size.
 */
export interface ModelCost {
  perItemMs: number;
  /** A call's time on top of its items (a GPU's kernel launches, learned from a measured GPU trial); 0 where unknown. */
  callMs?: number;
  loadMs: number;
  /** The part of loadMs that starts the runtime's host (a Python worker, a browser) before the model is read. */
  hostStartMs: number;
  /** The runtime's host (node, python, chromium): starting a runner of one host says little of another's. */
  host?: string;
  /** Starting a runner under the load there is now. */
  startupMs: number;
  /**
   * Where outputs are checked: the reference runner (onnxruntime on the CPU) loading the model and running it
   * once. The sweep does it once per model and input, on the first trial that needs it.
   */
  reference?: { loadMs: number; hostStartMs: number; perItemMs: number };
  /** Where the runner's own memory is measured: a runner of this runtime with no model, once per runtime per sweep. */
  baselineMs?: number;
}

/** Which of the sweep's one-time jobs a trial does, being the first to need them: the reference run, the runtime's baseline runner. */
export interface FirstOf { reference: boolean; baseline: boolean }

/** Pure: for each trial in sweep order, the one-time jobs it does; `done`: trials that already ran (theirs are done). */
export function firstsInOrder(trials: TrialSpec[], done: TrialSpec[] = []): FirstOf[] {
  const references = new Set(done.map(referenceId));
  const runtimes = new Set(done.map((t) => t.runtime));
  return trials.map((t) => {
    const id = referenceId(t);
    const first = { reference: id !== undefined && !references.has(id), baseline: !runtimes.has(t.runtime) };
    references.add(id);
    runtimes.add(t.runtime);
    return first;
  });
}

/**
 * What the one-time jobs `first` says a trial does should cost it, from its configuration's cost (0 where none is known),
 * each part scaled as the finished trials' were (the reference's calls run on the CPU: the CPU's call scale). A scan's
 * later steps run at batches of their own: a reference run each.
 */
export function onceCostMs(spec: TrialSpec, costs: ModelCosts, first: FirstOf, k: CostScales = UNSCALED): number {
  const cost = costOf(costs, spec);
  if (!cost) return 0;
  const scan = spec.scenarioOptions?.scan as ScanPlan | undefined;
  const batches = scan ? unmeasuredScanBatches(spec.batchSize, scan) : [spec.batchSize];
  const ref = cost.reference;
  const referenceMs = (b: number) => (cost.startupMs + ref!.hostStartMs) * startupScale(k, 'node') + (ref!.loadMs - ref!.hostStartMs) * k.read + ref!.perItemMs * k.latency * b;
  const reference = first.reference && ref ? batches.reduce((ms, b) => ms + referenceMs(b), 0) : 0;
  return reference + (first.baseline && cost.baselineMs ? cost.baselineMs * startupScale(k, cost.host) : 0);
}

/** Model costs by costKey(spec) (a configuration), or by speedKey(modelRef, runtime) for every configuration of it. */
export type ModelCosts = Map<string, ModelCost>;

export function speedKey(modelRef: string, runtime: string): string {
  return `${modelRef}|${runtime}`;
}

/** What a trial runs: its model, runtime, provider and settings. */
type Config = { modelRef: string; runtime: string; provider: string; settings?: Settings };

/**
 * The keys a measured speed is filed under, finest first: the whole configuration (provider and settings),
 * the model on that provider, the model on its runtime. A prediction reads the finest one measured: a
 * thread count, a precision or a compiler switch (XLA on or off) changes the speed, and a plan that grids
 * them would otherwise predict each from the other.
 */
function speedKeys(c: Config): string[] {
  const onRuntime = speedKey(c.modelRef, c.runtime);
  const onProvider = `${onRuntime}|${c.provider}`;
  // An imported result of an older format may carry no settings.
  const given = c.settings ?? {};
  const settings = Object.keys(given).sort().map((k) => [k, given[k]]);
  return [`${onProvider}|${JSON.stringify(settings)}`, onProvider, onRuntime];
}

/** The key of a trial's configuration's model cost: its thread settings change the share of the cores it uses. */
export function costKey(c: Config): string {
  return speedKeys(c)[0];
}

function costOf(costs: ModelCosts, c: Config): ModelCost | undefined {
  return costs.get(costKey(c)) ?? costs.get(speedKey(c.modelRef, c.runtime));
}

/** The speeds measured for this configuration, or the nearest coarser one measured. */
function knownSpeeds(speeds: Map<string, Speed[]>, c: Config): Speed[] | undefined {
  return speedKeys(c).map((k) => speeds.get(k)).find((list) => list !== undefined && list.length > 0);
}

/**
 * Where an earlier run's wall time of the very same trial (every axis, the scenario's options included) is
 * filed: whatever the scenario does (a server's rate search, an ensemble's windows), it took that long before.
 */
function sameTrialKey(trialKey: string): string {
  return `trial|${trialKey}`;
}

/**
 * The speed an ok trial measured, filed under its configuration's keys when its scenario runs a plain loop
 * and, with `sameTrial`, under its own trial key whatever the scenario; undefined for any other result.
 */
function speedOf(r: TrialResult, sameTrial: boolean): { keys: string[]; speed: Speed } | undefined {
  if (r.status !== 'ok') return undefined;
  const t = r as OkTrial;
  const plain = findScenario(r.scenario)?.duration?.learnsSpeed === true;
  // An imported file may say anything: only a positive wall time is one.
  const wallMs = t.context?.trialWallMs;
  const hasWall = typeof wallMs === 'number' && Number.isFinite(wallMs) && wallMs > 0;
  const sharedMs = t.context?.sharedWorkMs;
  const hasShared = hasWall && typeof sharedMs === 'number' && sharedMs >= 0 && sharedMs <= wallMs;
  const keys = [
    ...(sameTrial && hasWall ? [sameTrialKey(t.key)] : []),
    ...(plain ? speedKeys({ modelRef: t.model.path, runtime: t.runtime, provider: t.provider, settings: t.settings }) : []),
  ];
  if (keys.length === 0) return undefined;
  const speed: Speed = {
    batchSize: t.batchSize, latencyMs: t.latencyMs.median, loadMs: t.loadMs, throughputPerS: t.throughputPerS,
    firstInferenceMs: t.firstInferenceMs, windowMs: t.measuredS * 1000,
    ...(hasWall ? { wallMs } : {}),
    ...(hasShared ? { sharedMs } : {}),
  };
  return { keys, speed };
}

/** The speeds measured by ok trials of the scenarios that run a plain loop, by configuration (and each coarser key); a later trial at a batch replaces an earlier one (the sweep's own trials: the speed now). */
export function learnSpeeds(results: TrialResult[], into = new Map<string, Speed[]>()): Map<string, Speed[]> {
  for (const r of results) {
    // Not by its own trial key: the ETA compares a finished trial with what earlier runs predicted for it.
    const s = speedOf(r, false);
    if (!s) continue;
    for (const key of s.keys) into.set(key, [...(into.get(key) ?? []).filter((x) => x.batchSize !== s.speed.batchSize), s.speed]);
  }
  return into;
}

/**
 * The speeds of earlier runs: at each configuration (and each coarser key) and batch, the median of each figure over the runs
 * that measured it. The same plan's trials, and the steps its batch scans take, vary from run to run;
 * the latest run alone would predict the next one only as well as two runs agree.
 */
export function historySpeeds(history: TrialResult[]): Map<string, Speed[]> {
  const seen = new Map<string, Map<number, Speed[]>>();
  for (const r of history) {
    const s = speedOf(r, true);
    if (!s) continue;
    for (const key of s.keys) {
      const byBatch = seen.get(key) ?? new Map<number, Speed[]>();
      byBatch.set(s.speed.batchSize, [...(byBatch.get(s.speed.batchSize) ?? []), s.speed]);
      seen.set(key, byBatch);
    }
  }
  const median = (values: (number | undefined)[]): number | undefined => {
    const known = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
    return known.length ? medianOfSorted(known) : undefined;
  };
  const speeds = new Map<string, Speed[]>();
  for (const [key, byBatch] of seen) {
    speeds.set(key, [...byBatch.entries()].map(([batchSize, list]) => {
      const speed: Speed = { batchSize, latencyMs: median(list.map((x) => x.latencyMs))!, loadMs: median(list.map((x) => x.loadMs))! };
      for (const field of ['throughputPerS', 'firstInferenceMs', 'windowMs', 'wallMs', 'sharedMs'] as const) {
        const m = median(list.map((x) => x[field]));
        if (m !== undefined) speed[field] = m;
      }
      return speed;
    }));
  }
  return speeds;
}

function nearestSpeed(speeds: Speed[], batch: number): Speed {
  return speeds.reduce((m, s) => (Math.abs(Math.log(s.batchSize / batch)) < Math.abs(Math.log(m.batchSize / batch)) ? s : m));
}

/**
 * The measuring window the loop needs at this latency: the minimum count and time, capped at the
 * maximum time, in whole calls (the loop stops after the call that crosses its limit).
 */
function windowMs(spec: TrialSpec, latencyMs: number): number {
  const r = spec.stopping;
  const targetMs = Math.min(r.maxTimeMs, Math.max(r.minTimeMs, r.minSamples * latencyMs));
  return latencyMs > 0 ? Math.max(1, Math.ceil(targetMs / latencyMs)) * latencyMs : targetMs;
}

/** What the loop itself takes at this latency: first call, warm-up (until its count or its time limit), window. */
function loopMs(spec: TrialSpec, latencyMs: number, measuredWindowMs?: number): number {
  const r = spec.stopping;
  const warmupCalls = r.warmupMaxMs !== undefined && latencyMs > 0 ? Math.min(r.warmupRuns, Math.ceil(r.warmupMaxMs / latencyMs)) : r.warmupRuns;
  return latencyMs + warmupCalls * latencyMs + (measuredWindowMs ?? windowMs(spec, latencyMs));
}

/** One model and runtime at one batch: its latency, and the whole time of a trial of it. */
interface StepPrediction { latencyMs: number; throughputPerS: number; trialMs: number }

function stepFromSpeeds(spec: TrialSpec, known: Speed[], batch: number): StepPrediction {
  const near = nearestSpeed(known, batch);
  // Per-item time carries over between batches: a rough scale, exact at a measured batch.
  const exact = near.batchSize === batch;
  const latencyMs = exact ? near.latencyMs : (near.latencyMs * batch) / near.batchSize;
  // The per-item rate carries over too: the counted one where recorded (a per-call rate from the median reads higher).
  const throughputPerS = near.throughputPerS || (batch * 1000) / latencyMs;
  // What the sweep spent around the loop (runner start, output check, peak, saving), learned where it was recorded;
  // not the one-time jobs that trial was the first to need (they are predicted for the trials that will).
  const ownWallMs = near.wallMs !== undefined ? near.wallMs - (near.sharedMs ?? 0) : undefined;
  const nearLoopMs = near.loadMs + loopMs(spec, near.latencyMs, near.windowMs);
  const aroundMs = ownWallMs !== undefined ? Math.max(0, ownWallMs - nearLoopMs) : STARTUP_MS;
  if (exact && ownWallMs !== undefined) return { latencyMs, throughputPerS, trialMs: ownWallMs };
  return { latencyMs, throughputPerS, trialMs: aroundMs + near.loadMs + loopMs(spec, latencyMs, exact ? near.windowMs : undefined) };
}

/**
 * How far a model's cost was off on the sweep's finished trials, part by part: starting the runner and its host
 * (per host: a Python worker importing its framework says nothing of a Node runner), reading the model, and the
 * call's latency. A model's cost is a guess at each; a measured trial of any model corrects all of them (a machine
 * whose disk is fast reads every model faster). On a CPU a call's time is its items' (`latency` scales it); a
 * GPU's small batches wait on kernel launches rather than arithmetic, so a GPU call slower than its items' cost
 * shows a per-call time (`gpuCallMs`) that a larger batch does not multiply. `whole`: how far the whole cost, with
 * those parts scaled, was off on finished trials whose parts were not measured (a failed trial, a server).
 */
export interface CostScales { startupByHost: Record<string, number>; read: number; latency: number; gpuCallMs: number; whole: number }

const UNSCALED: CostScales = { startupByHost: {}, read: 1, latency: 1, gpuCallMs: 0, whole: 1 };

function startupScale(k: CostScales, host: string | undefined): number {
  return k.startupByHost[host ?? ''] ?? 1;
}

/** A cost with each part scaled. */
function scaledCost(cost: ModelCost, k: CostScales, onGpu: boolean): ModelCost {
  const readMs = (cost.loadMs - cost.hostStartMs) * k.read;
  const startup = startupScale(k, cost.host);
  const hostStartMs = cost.hostStartMs * startup;
  return {
    ...cost, startupMs: cost.startupMs * startup, hostStartMs, loadMs: hostStartMs + readMs,
    ...(onGpu ? { callMs: k.gpuCallMs } : { perItemMs: cost.perItemMs * k.latency }),
  };
}

function stepFromCost(spec: TrialSpec, cost: ModelCost, batch: number): StepPrediction {
  const latencyMs = (cost.callMs ?? 0) + cost.perItemMs * batch;
  return { latencyMs, throughputPerS: (batch * 1000) / latencyMs, trialMs: cost.startupMs + cost.loadMs + loopMs(spec, latencyMs) };
}

interface ScanPlan { from: number; max: number; threshold: number }

/**
 * Steps a scan is expected to take when no rate was measured for its model: a CPU usually gains from
 * the second batch and finds its plateau at the third (1, 2, 4), which is what the scans of the example
 * plans did here.
 */
export const UNMEASURED_SCAN_STEPS = 3;

/**
 * How much a scan step's gain over the step before varies between runs. Measured: the same 16 scan
 * steps in two runs of the CNN study plan (when it scanned its batch, up to 32 from 1 at a 5% threshold)
 * on a 2-core machine gained amounts that differed by 9.3 percentage points at the median and 13.7 RMS,
 * which is a spread of about 10 points per gain.
 */
export const SCAN_GAIN_SPREAD = 0.1;
/** A scan step less likely than this to be reached is left out of the expectation. */
const MIN_REACH = 0.01;

/** Pure: the chance a scan goes on past a step whose rate gains `gain` (0.1 = 10%) over the step before. */
export function continueChance(gain: number, threshold: number): number {
  return normalCdf((gain - threshold) / SCAN_GAIN_SPREAD);
}

/** A predicted time, and how much it varies from run to run (a variance, ms^2; 0 where nothing says). */
export interface TimeMoments { ms: number; varianceMs2: number }

/**
 * The time of a scan from this step on, as a mean and a variance: each batch it may try, weighted by
 * the chance of reaching it. A step is reached when every step before it gained more than the threshold
 * over its predecessor; a gain near the threshold goes either way from run to run, so a prediction that
 * replays one run's decision would be off by a whole step whenever the next run decides the other way.
 * Where a rate is unknown, the per-item rate carries over, the gain is 0, and the scan is likely to stop
 * there. Reaching a step means reaching every step before it, so the time is a sum of nested events and
 * its variance follows from the same chances.
 */
function scanMoments(spec: TrialSpec, scan: ScanPlan, predict: (batch: number) => StepPrediction): TimeMoments {
  const steps: { reach: number; ms: number }[] = [];
  let reach = 1;
  // A later step of a scan under way (an ETA): whether the scan goes on past it depends on the step before.
  let prev = spec.batchSize / 2 >= scan.from ? predict(spec.batchSize / 2) : undefined;
  for (let batch = spec.batchSize; reach >= MIN_REACH; batch *= 2) {
    const step = predict(batch);
    steps.push({ reach, ms: step.trialMs });
    if (prev) reach *= continueChance(step.throughputPerS / prev.throughputPerS - 1, scan.threshold);
    if (batch * 2 > scan.max) break;
    prev = step;
  }
  // E[D] = sum p_k c_k; E[D^2] = sum_k p_k c_k^2 + 2 sum_{k<l} p_l c_k c_l (step l reached implies step k).
  const ms = steps.reduce((sum, s) => sum + s.reach * s.ms, 0);
  let square = 0;
  steps.forEach((s, l) => {
    square += s.reach * s.ms * s.ms;
    for (let k = 0; k < l; k++) square += 2 * s.reach * steps[k].ms * s.ms;
  });
  return { ms, varianceMs2: Math.max(0, square - ms * ms) };
}

/** The batches of a scan nothing was measured for: UNMEASURED_SCAN_STEPS, or fewer when the bound comes first. */
function unmeasuredScanBatches(from: number, scan: ScanPlan): number[] {
  const batches: number[] = [];
  for (let batch = from; batches.length < UNMEASURED_SCAN_STEPS && batch <= Math.max(scan.max, from); batch *= 2) batches.push(batch);
  return batches;
}

/** What a prediction rests on: the same trial's whole time in earlier runs, measured speed, or the model's cost alone. */
export type Basis = 'history' | 'speed' | 'cost';

/**
 * Predicted wall time of one trial (a batch scan: of every step it is expected to take); undefined when neither a measurement
 * nor a model cost is known. With `first`, the one-time jobs it will be the first to need, unless its own earlier time holds them.
 */
export function predictTrialMs(spec: TrialSpec, speeds: Map<string, Speed[]>, costs: ModelCosts = new Map(), first?: FirstOf): number | undefined {
  const p = predictTrialMoments(spec, speeds, costs);
  if (!p) return undefined;
  return p.ms + (first && p.basis !== 'history' ? onceCostMs(spec, costs, first) : 0);
}

/**
 * A trial's own time, with how much a learned batch scan's time varies with the steps it stops at, and what it rests on.
 * Its own time leaves out the sweep's one-time jobs (onceCostMs), except where it is the same trial's whole time before.
 */
export function predictTrialMoments(spec: TrialSpec, speeds: Map<string, Speed[]>, costs: ModelCosts = new Map(), scales = UNSCALED): (TimeMoments & { basis: Basis }) | undefined {
  const fixed = (ms: number, basis: Basis) => ({ ms, varianceMs2: 0, basis });
  const duration = findScenario(spec.scenario)?.duration;
  const scan = spec.scenarioOptions?.scan as ScanPlan | undefined;
  // The same trial ran before: its time then (a scan's first step is no measure of the steps after it).
  const before = scan ? undefined : speeds.get(sameTrialKey(spec.key))?.[0]?.wallMs;
  if (before !== undefined) return fixed(before, 'history');
  const refs = duration?.models?.(spec) ?? [spec.modelRef];
  const known = refs.map((ref) => knownSpeeds(speeds, { ...spec, modelRef: ref }));
  const r = spec.stopping;
  const context = (startupMs: number): DurationContext => ({
    startupMs,
    windowMs: (latencyMs) => windowMs(spec, latencyMs),
    plainMs: (s) => s.loadMs + s.latencyMs * (1 + r.warmupRuns) + windowMs(spec, s.latencyMs),
  });
  if (known.some((k) => !k || k.length === 0)) {
    const given = refs.map((ref) => costOf(costs, { ...spec, modelRef: ref }));
    if (given.some((c) => !c)) return undefined;
    const costed = given.map((c) => scaledCost(c!, scales, runsOnGpu(spec.provider)));
    // A scenario that plans its own work (a server's rate search) is costed from the latency the MACs give.
    if (duration?.predictMs) {
      const at = costed.map((c) => ({ batchSize: spec.batchSize, latencyMs: (c.callMs ?? 0) + c.perItemMs * spec.batchSize, loadMs: c.loadMs }));
      return fixed(duration.predictMs(spec, at, context(costed[0].startupMs)) * scales.whole, 'cost');
    }
    if (!duration?.learnsSpeed) return undefined;
    const cost = costed[0];
    const batches = scan ? unmeasuredScanBatches(spec.batchSize, scan) : [spec.batchSize];
    return fixed(batches.reduce((ms, b) => ms + stepFromCost(spec, cost, b).trialMs, 0) * scales.whole, 'cost');
  }
  if (duration?.predictMs) {
    const at = known.map((k) => { const s = nearestSpeed(k!, spec.batchSize); return { ...s, latencyMs: (s.latencyMs * spec.batchSize) / s.batchSize }; });
    return fixed(duration.predictMs(spec, at, context(STARTUP_MS)), 'speed');
  }
  if (!scan) return fixed(stepFromSpeeds(spec, known[0]!, spec.batchSize).trialMs, 'speed');
  return { ...scanMoments(spec, scan, (b) => stepFromSpeeds(spec, known[0]!, b)), basis: 'speed' };
}

/** Bounds from the stopping rule alone, for trials nothing was measured for (a scan: the steps it is expected to take). */
export function ruleBoundsMs(t: TrialSpec): { lowMs: number; highMs: number } {
  const scan = t.scenarioOptions?.scan as ScanPlan | undefined;
  const steps = scan ? Math.min(UNMEASURED_SCAN_STEPS, Math.floor(Math.log2(Math.max(1, scan.max / t.batchSize))) + 1) : 1;
  const factor = findScenario(t.scenario)?.duration?.windows?.(t) ?? steps;
  return {
    lowMs: STARTUP_MS * steps + factor * t.stopping.minTimeMs,
    highMs: (STARTUP_MS + (t.stopping.warmupMaxMs ?? 0)) * steps + factor * t.stopping.maxTimeMs,
  };
}

/** A band that holds about 9 runs in 10 of a normal spread: 1.645 standard deviations either way. */
const NINETY_PERCENT_Z = 1.645;

export interface SweepEstimate {
  /** The expected time (where only the rule's bounds are known for some trials: its low and high ends). */
  lowMs: number;
  highMs: number;
  /** Trials predicted from measured speed, and from their model's cost. */
  learned: number;
  costed: number;
  /**
   * How far the time may land either way because its batch scans stop at different steps from run to run:
   * 1.645 standard deviations of that (a band for 9 runs in 10); 0 without a learned scan.
   */
  scanSpreadMs: number;
}

/** The sweep's duration: measured speed where known, the model's cost next, the rule's bounds elsewhere. */
export function estimateSweepMs(trials: TrialSpec[], speeds: Map<string, Speed[]>, costs: ModelCosts = new Map()): SweepEstimate {
  let lowMs = 0;
  let highMs = 0;
  let learned = 0;
  let costed = 0;
  let varianceMs2 = 0;
  const firsts = firstsInOrder(trials);
  for (const [i, t] of trials.entries()) {
    const p = predictTrialMoments(t, speeds, costs);
    if (p !== undefined) {
      const ms = p.ms + (p.basis === 'history' ? 0 : onceCostMs(t, costs, firsts[i]));
      lowMs += ms;
      highMs += ms;
      varianceMs2 += p.varianceMs2;
      if (p.basis === 'cost') costed++; else learned++;
      continue;
    }
    const b = ruleBoundsMs(t);
    lowMs += b.lowMs;
    highMs += b.highMs;
  }
  return { lowMs, highMs, learned, costed, scanSpreadMs: NINETY_PERCENT_Z * Math.sqrt(varianceMs2) };
}

/**
 * Pure: the cost scales the finished trials show. A trial whose speed was measured shows each part: its load against
 * the model's read time, its median call against the cost's, and the rest of its own time (runner and host start,
 * output check, saving) against the runner and host start. Where none was measured (a failed trial, a scenario
 * without a plain loop), their whole own time against the whole cost scales every part alike.
 */
export function costScales(done: { spec: TrialSpec; ownMs: number }[], speeds: Map<string, Speed[]>, costs: ModelCosts): CostScales {
  type Sums = [predicted: number, actual: number];
  const sums = new Map<string, Sums>();
  const add = (part: string, predicted: number, actual: number) => {
    if (!(predicted > 0)) return;
    const s = sums.get(part) ?? [0, 0];
    sums.set(part, [s[0] + predicted, s[1] + actual]);
  };
  const gpuExcessMs: number[] = [];
  const unmeasured: { spec: TrialSpec; ownMs: number }[] = [];
  for (const { spec, ownMs } of done) {
    const cost = costOf(costs, spec);
    if (!cost || spec.scenarioOptions?.scan) continue;
    const measured = knownSpeeds(speeds, spec)?.find((s) => s.batchSize === spec.batchSize);
    if (!measured || !findScenario(spec.scenario)?.duration?.learnsSpeed) {
      unmeasured.push({ spec, ownMs });
      continue;
    }
    const costLatencyMs = cost.perItemMs * spec.batchSize;
    if (runsOnGpu(spec.provider)) gpuExcessMs.push(Math.max(0, measured.latencyMs - costLatencyMs));
    else add('latency', costLatencyMs, measured.latencyMs);
    add('read', cost.loadMs - cost.hostStartMs, measured.loadMs);
    const loopsMs = loopMs(spec, measured.latencyMs, measured.windowMs);
    add(`startup|${cost.host ?? ''}`, cost.startupMs + cost.hostStartMs, Math.max(0, ownMs - measured.loadMs - loopsMs));
  }
  const part = (name: string) => { const s = sums.get(name); return s ? s[1] / s[0] : 1; };
  const parts: CostScales = {
    startupByHost: Object.fromEntries([...sums.keys()].filter((n) => n.startsWith('startup|')).map((n) => [n.slice('startup|'.length), part(n)])),
    read: part('read'), latency: part('latency'), whole: 1,
    gpuCallMs: gpuExcessMs.length ? mean(gpuExcessMs) : 0,
  };
  for (const { spec, ownMs } of unmeasured) add('whole', predictTrialMoments(spec, new Map(), costs, parts)?.ms ?? 0, ownMs);
  return { ...parts, whole: part('whole') };
}

/**
 * How much finished trials' time the ETA needs before their ratio to their predictions counts as much as the
 * predictions themselves. On the 2-core machine the CNN study plan's first trial (3-5 s) took 3.9 s in one run and
 * 4.9 s in the next: scaling the rest by that one ratio put the second run's ETA 43% over. With 30 s of prior,
 * that trial moves it 3%; a machine that stays twice as slow shows it after about 30 s of trials.
 */
export const ETA_EVIDENCE_MS = 30_000;

/** A finished trial: its spec, the sweep's wall time for it, and the part of that spent on one-time jobs. */
export interface FinishedTrial { spec: TrialSpec; wallMs: number; sharedMs?: number }

/**
 * The time left: each remaining trial's own time (the rule's midpoint where nothing is known), scaled by how the
 * finished trials' own times compare with what is predicted for them now, and the one-time jobs the remaining
 * trials will be the first to need. What is still costed from a model's MACs is costed with the parts the
 * finished trials measured (costScales): the first trial of a sweep corrects the guess for the models nothing
 * was measured for yet. Before any trial has finished, the predictions as they are, when every remaining trial has one.
 */
export function etaMs(remaining: TrialSpec[], finished: FinishedTrial[], speeds: Map<string, Speed[]>, costs: ModelCosts = new Map()): number | undefined {
  // A finished scan step is one trial: its prediction is of that step alone.
  const doneSpecs = finished.map((f) => ({ ...f.spec, scenarioOptions: withoutScan(f.spec.scenarioOptions) }));
  const leftFirsts = firstsInOrder(remaining, doneSpecs);
  if (finished.length === 0) {
    const each = remaining.map((t, i) => predictTrialMs(t, speeds, costs, leftFirsts[i]));
    return each.length > 0 && each.every((ms) => ms !== undefined) ? each.reduce((a, b) => a! + b!, 0) : undefined;
  }
  const ownMs = (f: FinishedTrial) => f.wallMs - (f.sharedMs ?? 0);
  const scales = costScales(finished.map((f, i) => ({ spec: doneSpecs[i], ownMs: ownMs(f) })), speeds, costs);
  const guess = (t: TrialSpec, first?: FirstOf) => {
    const p = predictTrialMoments(t, speeds, costs, scales);
    if (p === undefined) { const b = ruleBoundsMs(t); return { own: (b.lowMs + b.highMs) / 2, once: 0, history: false }; }
    const history = p.basis === 'history';
    return { own: p.ms, once: first && !history ? onceCostMs(t, costs, first, scales) : 0, history };
  };
  // A finished trial against what is predicted for it now: its whole time where that is the same trial's whole time before.
  let predictedDone = 0;
  let actualDone = 0;
  for (const [i, t] of doneSpecs.entries()) {
    const g = guess(t);
    predictedDone += g.own;
    actualDone += g.history ? finished[i].wallMs : ownMs(finished[i]);
  }
  // Damped by a prior of ETA_EVIDENCE_MS on either side: one short trial's noise is not the machine's speed.
  const scale = (actualDone + ETA_EVIDENCE_MS) / (predictedDone + ETA_EVIDENCE_MS);
  return remaining.reduce((ms, t, i) => { const g = guess(t, leftFirsts[i]); return ms + scale * g.own + g.once; }, 0);
}

function withoutScan(o: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!o || !('scan' in o)) return o;
  const { scan: _scan, ...rest } = o;
  return rest;
}
