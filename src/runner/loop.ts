/**
 * The measuring loop, run inside the runner around the runtime's own call.
 * It stops when a minimum count AND a minimum time are reached AND the CI95
 * of the median is tight enough, or at the time limit (converged: false).
 */
import type { LoopMeasurement, StoppingRule } from '../runtimes/runtime.js';
import { ciRelHalfWidth, medianCI, medianOfSorted } from '../stats/index.js';
import { epochMs, measureClock, nowMs } from './clock.js';

export interface LoopHooks {
  windowStart(): void;
  windowEnd(): void;
  /** The time the rest of the trial needs, when a scenario knows it (the parent extends the trial's timeout to allow it). */
  planned?(ms: number): void;
}

/** Relative CI95 half-width of the median of the samples so far: the same median and CI the summary reports. */
function ciRel(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const { low, high } = medianCI(sorted, 0.95);
  return ciRelHalfWidth({ median: medianOfSorted(sorted), ciLow: low, ciHigh: high });
}

export async function measureLoop(
  runOnce: () => Promise<unknown>, rule: StoppingRule, hooks: LoopHooks,
): Promise<LoopMeasurement> {
  const clock = measureClock();

  let t0 = nowMs();
  await runOnce();
  const firstInferenceMs = nowMs() - t0;

  let warmupRuns = 0;
  const warmupStart = nowMs();
  while (warmupRuns < rule.warmupRuns && nowMs() - warmupStart < (rule.warmupMaxMs ?? Infinity)) {
    await runOnce();
    warmupRuns++;
  }

  const samplesMs: number[] = [];
  const callStartMs: number[] = [];
  const callEndMs: number[] = [];
  let converged = false;
  // Checking the CI sorts the samples; doing it at geometric checkpoints keeps the loop's own cost negligible.
  let nextCheck = rule.minSamples;
  hooks.windowStart();
  const windowStart = nowMs();
  const windowStartEpochMs = epochMs(windowStart);
  for (;;) {
    t0 = nowMs();
    await runOnce();
    const t1 = nowMs();
    samplesMs.push(t1 - t0);
    callStartMs.push(t0 - windowStart);
    callEndMs.push(t1 - windowStart);
    const elapsed = t1 - windowStart;
    const n = samplesMs.length;
    if (n >= rule.maxSamples) {
      converged = ciRel(samplesMs) <= rule.targetCiRel;
      break;
    }
    if (elapsed >= rule.maxTimeMs) {
      converged = n >= rule.minSamples && ciRel(samplesMs) <= rule.targetCiRel;
      break;
    }
    if (n >= rule.minSamples && elapsed >= rule.minTimeMs && n >= nextCheck) {
      if (ciRel(samplesMs) <= rule.targetCiRel) {
        converged = true;
        break;
      }
      nextCheck = Math.ceil(n * 1.1);
    }
  }
  // The window closes with the last call: the loop's own bookkeeping after it is no part of what was measured.
  const measuredS = callEndMs[callEndMs.length - 1] / 1000;
  hooks.windowEnd();
  return {
    firstInferenceMs,
    warmupRuns,
    samplesMs,
    converged,
    measuredS,
    callStartMs,
    callEndMs,
    windowStartEpochMs,
    timerOverheadMs: clock.overheadMs,
    timerResolutionMs: clock.resolutionMs,
  };
}
