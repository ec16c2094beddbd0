/**
 * Turning a runner's raw measurement and the probes' readings into a
 * TrialResult. Pure: everything it needs is passed in.
 */
import type { FailedTrial, FailureKind, OkTrial, TrialContext } from '../results/types.js';
import type { TrialSpec } from './trial-spec.js';
import type { RunnerResult } from '../runner/protocol.js';
import type { ProbeOutput } from '../probes/probe.js';
import { latencyWarnings, summarize } from '../stats/index.js';
import { combineProbeOutputs } from '../probes/index.js';

function base(spec: TrialSpec) {
  return {
    key: spec.key,
    runtime: spec.runtime,
    provider: spec.provider,
    settings: spec.settings,
    batchSize: spec.batchSize,
    scenario: spec.scenario,
    model: { path: spec.modelRef, sha256: spec.modelSha256, sizeBytes: spec.modelSizeBytes },
    inputShapes: spec.inputShapes,
    ...(spec.repetition !== undefined ? { repetition: spec.repetition } : {}),
  };
}

export function buildOkTrial(
  spec: TrialSpec, r: RunnerResult, probeOutputs: ProbeOutput[], context: TrialContext, runnerBaselineRssBytes?: number,
): OkTrial {
  const latencyMs = summarize(r.samplesMs);
  const items = r.samplesMs.length * spec.batchSize;
  const probes = combineProbeOutputs(probeOutputs, { items, windowS: r.measuredS, runnerBaselineRssBytes });
  // Server latencies include queueing: their spread is the point, not noise to warn about.
  const warnings = [
    ...(spec.scenario === 'server' ? [] : latencyWarnings({
      summary: latencyMs, firstInferenceMs: r.firstInferenceMs, converged: r.converged,
      timerResolutionMs: r.timerResolutionMs, targetCiRel: spec.stopping.targetCiRel,
    })),
    ...probes.warnings,
  ];
  const extra: Record<string, unknown> = { ...(r.extra ?? {}) };
  if (r.loadKind) extra.loadKind = r.loadKind;
  if (probes.overheadMs > 0) extra.probeOverheadMs = probes.overheadMs;
  return {
    status: 'ok',
    ...base(spec),
    inputShapes: r.inputShapes,
    latencyMs,
    throughputPerS: latencyMs.median > 0 ? (spec.batchSize * 1000) / latencyMs.median : 0,
    loadMs: r.loadMs,
    firstInferenceMs: r.firstInferenceMs,
    warmupRuns: r.warmupRuns,
    converged: r.converged,
    timerOverheadMs: r.timerOverheadMs,
    timerResolutionMs: r.timerResolutionMs,
    measuredS: r.measuredS,
    samplesMs: r.samplesMs,
    ...(probes.cpu ? { cpu: probes.cpu } : {}),
    ...(probes.memory ? { memory: probes.memory } : {}),
    ...(probes.energy ? { energy: probes.energy } : {}),
    ...(probes.series.length ? { series: probes.series } : {}),
    ...(probes.probeFailures.length ? { probeFailures: probes.probeFailures } : {}),
    warnings,
    context,
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

export function buildFailedTrial(
  spec: TrialSpec, error: { kind: FailureKind; message: string; stderrTail?: string; exitCode?: number | null; signal?: string | null },
  context?: TrialContext,
): FailedTrial {
  return { status: 'failed', ...base(spec), error, warnings: [], ...(context ? { context } : {}) };
}
