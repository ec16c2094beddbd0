/** A minimal ok result of a trial spec at a given counted rate, for the efficiency figures to work on. */
import type { OkTrial, TrialResult } from '../../src/results/types.js';
import type { TrialSpec } from '../../src/core/trial-spec.js';

export function okResult(spec: TrialSpec, throughputPerS: number): TrialResult {
  return {
    status: 'ok', scenario: 'single-stream', key: spec.key, runtime: spec.runtime, provider: spec.provider, settings: spec.settings,
    batchSize: spec.batchSize, model: { path: spec.modelRef, sha256: spec.modelSha256, sizeBytes: 0 }, warnings: [],
    latencyMs: { median: 1 } as OkTrial['latencyMs'], throughputPerS, loadMs: 1, firstInferenceMs: 1, warmupRuns: 0, converged: true,
    timerOverheadMs: 0, timerResolutionMs: 0, measuredS: 1, samplesMs: [1],
  } as OkTrial;
}
