/**
 * How long a trial should take, learned from measured speed: the median
 * latency and load time of the same model and runtime (from the sweep's
 * finished trials, or earlier runs in the database), put through what the
 * stopping rule and the scenario plan to do. Without a measurement the
 * stopping rule alone gives a range. Pure.
 */
import type { OkTrial, TrialResult } from '../results/types.js';
import type { TrialSpec } from './trial-spec.js';
import type { DurationContext, Speed } from '../scenarios/scenario.js';
import { findScenario } from '../scenarios/registry.js';

export type { Speed };

/** Starting a runner process: a floor per trial, measured on a 2-core machine. */
export const STARTUP_MS = 1500;

export function speedKey(modelRef: string, runtime: string): string {
  return `${modelRef}|${runtime}`;
}

/** The speeds measured by ok trials of the scenarios that run a plain loop, by model and runtime; the batch nearest the asked one is used. */
export function learnSpeeds(results: TrialResult[], into = new Map<string, Speed[]>()): Map<string, Speed[]> {
  for (const r of results) {
    if (r.status !== 'ok' || !findScenario(r.scenario)?.duration?.learnsSpeed) continue;
    const t = r as OkTrial;
    const key = speedKey(t.model.path, t.runtime);
    const list = (into.get(key) ?? []).filter((s) => s.batchSize !== t.batchSize);
    list.push({ batchSize: t.batchSize, latencyMs: t.latencyMs.median, loadMs: t.loadMs });
    into.set(key, list);
  }
  return into;
}

function latencyAt(speeds: Speed[], batch: number): Speed {
  const nearest = speeds.reduce((m, s) => (Math.abs(Math.log(s.batchSize / batch)) < Math.abs(Math.log(m.batchSize / batch)) ? s : m));
  // Per item time carries over between batches: a rough scale, exact at a measured batch.
  return { ...nearest, latencyMs: (nearest.latencyMs * batch) / nearest.batchSize };
}

/** The measuring window the loop needs at this latency: the minimum count and time, capped at the maximum time. */
function windowMs(spec: TrialSpec, latencyMs: number): number {
  const r = spec.stopping;
  return Math.min(r.maxTimeMs, Math.max(r.minTimeMs, r.minSamples * latencyMs));
}

/** Predicted wall time of one trial; undefined when nothing was measured for its model and runtime (or, for an ensemble, its members). */
export function predictTrialMs(spec: TrialSpec, speeds: Map<string, Speed[]>): number | undefined {
  const duration = findScenario(spec.scenario)?.duration;
  const refs = duration?.models?.(spec) ?? [spec.modelRef];
  const known = refs.map((ref) => speeds.get(speedKey(ref, spec.runtime)));
  if (known.some((k) => !k || k.length === 0)) return undefined;
  const at = known.map((k) => latencyAt(k!, spec.batchSize));
  const r = spec.stopping;
  const ctx: DurationContext = {
    startupMs: STARTUP_MS,
    windowMs: (latencyMs) => windowMs(spec, latencyMs),
    plainMs: (s) => s.loadMs + s.latencyMs * (1 + r.warmupRuns) + windowMs(spec, s.latencyMs),
  };
  return duration?.predictMs?.(spec, at, ctx) ?? STARTUP_MS + ctx.plainMs(at[0]);
}

/** Bounds from the stopping rule alone, for trials nothing was measured for. */
export function ruleBoundsMs(t: TrialSpec): { lowMs: number; highMs: number } {
  const factor = findScenario(t.scenario)?.duration?.windows?.(t) ?? 1;
  return {
    lowMs: STARTUP_MS + factor * t.stopping.minTimeMs,
    highMs: STARTUP_MS + (t.stopping.warmupMaxMs ?? 0) + factor * t.stopping.maxTimeMs,
  };
}

/** The sweep's duration: measured speed where known, the rule's bounds elsewhere. */
export function estimateSweepMs(trials: TrialSpec[], speeds: Map<string, Speed[]>): { lowMs: number; highMs: number; learned: number } {
  let lowMs = 0;
  let highMs = 0;
  let learned = 0;
  for (const t of trials) {
    const p = predictTrialMs(t, speeds);
    if (p !== undefined) { lowMs += p; highMs += p; learned++; continue; }
    const b = ruleBoundsMs(t);
    lowMs += b.lowMs;
    highMs += b.highMs;
  }
  return { lowMs, highMs, learned };
}

/**
 * The time left: each remaining trial's prediction (the rule's midpoint where nothing is known),
 * scaled by how the finished trials' actual times compare with what the same model predicts for them now.
 */
export function etaMs(remaining: TrialSpec[], finished: { spec: TrialSpec; wallMs: number }[], speeds: Map<string, Speed[]>): number | undefined {
  if (finished.length === 0) return undefined;
  const guess = (t: TrialSpec) => predictTrialMs(t, speeds) ?? ((b) => (b.lowMs + b.highMs) / 2)(ruleBoundsMs(t));
  const predictedDone = finished.reduce((ms, f) => ms + guess(f.spec), 0);
  const actualDone = finished.reduce((ms, f) => ms + f.wallMs, 0);
  const scale = predictedDone > 0 ? actualDone / predictedDone : 1;
  return scale * remaining.reduce((ms, t) => ms + guess(t), 0);
}
