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
import { findScenario } from '../scenarios/registry.js';
import { scenarioPart } from '../results/scenario-part.js';
import { RESULTS_FORMAT_VERSION } from '../results/types.js';
import { countedRate, perCallItemsPerS } from './counted-rate.js';

function base(spec: TrialSpec) {
  return {
    key: spec.key,
    runtime: spec.runtime,
    provider: spec.provider,
    settings: spec.settings,
    batchSize: spec.batchSize,
    model: { path: spec.modelRef, sha256: spec.modelSha256, sizeBytes: spec.modelSizeBytes },
    inputShapes: spec.inputShapes,
    ...(spec.repetition !== undefined ? { repetition: spec.repetition } : {}),
  };
}

/** The CPU figures hold for the measured window only if the probe's window is that window (within 10%). */
function cpuWindowWarning(cpuWindowS: number | undefined, measuredS: number) {
  if (cpuWindowS === undefined || !(measuredS > 0) || Math.abs(cpuWindowS - measuredS) <= 0.1 * measuredS) return [];
  return [{
    code: 'cpu-window',
    message: `CPU figures span ${cpuWindowS.toFixed(2)} s, the measured window ${measuredS.toFixed(2)} s: cores busy includes time outside the measurement`,
    remedy: 'read cores busy as approximate for this trial',
  }];
}

/** Pinned threads that ran elsewhere than asked, or a pin that failed. */
function affinityWarnings(requested: number[] | undefined, observed: number[] | undefined, pinError: string | undefined) {
  if (!requested) return [];
  if (pinError) return [{ code: 'affinity', message: pinError, remedy: 'install util-linux (taskset), or run without --cpus' }];
  const outside = (observed ?? []).filter((c) => !requested.includes(c));
  if (outside.length === 0) return [];
  return [{
    code: 'affinity',
    message: `threads ran on core${outside.length > 1 ? 's' : ''} ${outside.join(',')}, outside the requested --cpus ${requested.join(',')}`,
    remedy: 'check that a container or cgroup allows those cores (see /sys/fs/cgroup cpuset)',
  }];
}

export function buildOkTrial(
  spec: TrialSpec, r: RunnerResult, probeOutputs: ProbeOutput[], context: TrialContext, runnerBaselineRssBytes?: number,
): OkTrial {
  const latencyMs = summarize(r.samplesMs);
  const rate = countedRate(r, spec.batchSize);
  const probes = combineProbeOutputs(probeOutputs, { items: rate.itemsCompleted, windowS: r.measuredS, runnerBaselineRssBytes });
  // Server latencies include queueing: their spread is the point, not noise to warn about.
  const warnings = [
    ...(findScenario(spec.scenario)?.latencyWarnings === false ? [] : latencyWarnings({
      summary: latencyMs, firstInferenceMs: r.firstInferenceMs, converged: r.converged,
      timerResolutionMs: r.timerResolutionMs, targetCiRel: spec.stopping.targetCiRel,
    })),
    ...probes.warnings,
    ...cpuWindowWarning(probes.cpu?.windowS, r.measuredS),
    ...affinityWarnings(spec.cpus, r.coresUsed, r.pinError),
  ];
  return {
    formatVersion: RESULTS_FORMAT_VERSION,
    status: 'ok',
    ...base(spec),
    ...scenarioPart(spec.scenario, r.figures),
    inputShapes: r.inputShapes,
    latencyMs,
    throughputPerS: rate.throughputPerS,
    itemsCompleted: rate.itemsCompleted,
    countedWindowS: rate.countedWindowS,
    perCallItemsPerS: perCallItemsPerS(spec.batchSize, latencyMs.median),
    loadMs: r.loadMs,
    ...(r.loadKind ? { loadKind: r.loadKind } : {}),
    ...(r.compile ? { compile: r.compile } : {}),
    ...(r.loadDetails ? { loadDetails: r.loadDetails } : {}),
    ...(r.page ? { page: r.page } : {}),
    firstInferenceMs: r.firstInferenceMs,
    warmupRuns: r.warmupRuns,
    converged: r.converged,
    timerOverheadMs: r.timerOverheadMs,
    timerResolutionMs: r.timerResolutionMs,
    ...(probes.overheadMs > 0 ? { probeOverheadMs: probes.overheadMs } : {}),
    measuredS: r.measuredS,
    samplesMs: r.samplesMs,
    ...(r.callStartMs && r.callEndMs ? { calls: { startMs: r.callStartMs, endMs: r.callEndMs } } : {}),
    ...(r.windowStartEpochMs !== undefined ? { windowStartEpochMs: r.windowStartEpochMs } : {}),
    ...(r.coresUsed ? { affinity: { ...(spec.cpus ? { requested: spec.cpus } : {}), observed: r.coresUsed } } : {}),
    ...(probes.cpu ? { cpu: probes.cpu } : {}),
    ...(probes.memory ? { memory: probes.memory } : {}),
    ...(probes.energy ? { energy: probes.energy } : {}),
    ...(probes.series.length ? { series: probes.series } : {}),
    ...(probes.probeFailures.length ? { probeFailures: probes.probeFailures } : {}),
    warnings,
    context,
  };
}

export function buildFailedTrial(
  spec: TrialSpec, error: { kind: FailureKind; message: string; stderrTail?: string; exitCode?: number | null; signal?: string | null },
  context?: TrialContext,
): FailedTrial {
  return { formatVersion: RESULTS_FORMAT_VERSION, status: 'failed', ...base(spec), ...scenarioPart(spec.scenario), error, warnings: [], ...(context ? { context } : {}) };
}
