/**
 * Ensemble, one runner process per member: all load, wait at a barrier, and
 * measure together; then each member runs alone, one after another, for the
 * comparison. The ensemble's prediction is the mean of the members' outputs.
 */
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '../files/temp-dirs.js';
import type { OkTrial, TrialResult } from '../results/types.js';
import type { Probe } from '../probes/probe.js';
import type { TrialSpec } from '../core/trial-spec.js';
import { executeTrial } from '../launchers/local.js';
import { buildFailedTrial } from '../engine/build-result.js';
import { readOutputsFile } from '../runner/outputs-file.js';
import type { EnsembleFigures } from '../results/types.js';
import { ensemblePrediction } from './ensemble-prediction.js';
import { ensembleFigures, ensembleThroughput } from './ensemble-figures.js';
import { memberSpec, type EnsembleSpecOptions } from './ensemble-members.js';

function firstOutput(path: string) {
  return Object.values(readOutputsFile(path))[0];
}

export async function executeEnsembleProcesses(
  spec: TrialSpec, probes: () => Probe[], onPhase: (phase: 'starting' | 'loaded' | 'measuring' | 'done') => void,
): Promise<TrialResult> {
  const { members } = spec.scenarioOptions!.ensemble as EnsembleSpecOptions;
  const dir = makeTempDir('infermark-ensemble-');
  try {
    const arrived = new Set<number>();
    let release!: () => void;
    const go = new Promise<void>((r) => { release = r; });
    // A member that dies before loading must not keep the others waiting.
    const arrive = (i: number) => { arrived.add(i); if (arrived.size === members.length) { onPhase('measuring'); release(); } };
    onPhase('starting');
    const together = await Promise.all(members.map((m, i) => executeTrial(memberSpec(spec, m, i, join(dir, `m${i}.bin`)), {
      probes: probes(),
      barrier: { loaded: () => arrive(i), go },
    }).finally(() => arrive(i))));
    const failedTogether = together.findIndex((r) => r.status !== 'ok');
    if (failedTogether >= 0) {
      const r = together[failedTogether];
      const why = r.status === 'failed' ? r.error : { kind: 'error' as const, message: r.status === 'skipped' ? r.reason : 'unknown' };
      return buildFailedTrial(spec, { ...why, message: `ensemble member ${members[failedTogether].ref}: ${why.message}` }, r.context);
    }
    const alone: TrialResult[] = [];
    for (const [i, m] of members.entries()) alone.push(await executeTrial(memberSpec(spec, m, i), { probes: [] }));
    onPhase('done');
    const ok = together as OkTrial[];
    let prediction: EnsembleFigures['prediction'];
    try {
      prediction = ensemblePrediction(members.map((_, i) => firstOutput(join(dir, `m${i}.bin`)))).check;
    } catch (err) {
      prediction = { error: (err as Error).message };
    }
    const figures = ensembleFigures(spec.batchSize, ok.map((r, i) => {
      const a = alone[i].status === 'ok' ? (alone[i] as OkTrial) : undefined;
      // Each runner's window start on the wall clock lines the members' calls up on one time axis.
      const origin = r.windowStartEpochMs ?? 0;
      const calls = r.calls ?? { startMs: [], endMs: [] };
      return {
        model: members[i].ref,
        callStartMs: calls.startMs.map((t) => t + origin),
        callEndMs: calls.endMs.map((t) => t + origin),
        coLocatedMedianMs: r.latencyMs.median,
        aloneMedianMs: a ? a.latencyMs.median : NaN,
        alonePerS: a ? a.throughputPerS : 0,
      };
    }));
    // The ensemble's prediction is ready when its slowest member is: its samples stand for the ensemble.
    const slowest = ok.reduce((m, r) => (r.latencyMs.median > m.latencyMs.median ? r : m));
    const sum = (f: (r: OkTrial) => number | undefined) => ok.reduce((s, r) => s + (f(r) ?? 0), 0);
    return {
      ...slowest,
      key: spec.key,
      scenario: 'ensemble',
      // An ensemble prediction needs every member: predictions completed in the common window are its slowest member's items there.
      ...ensembleThroughput(figures),
      model: { path: spec.modelRef, sha256: spec.modelSha256, sizeBytes: spec.modelSizeBytes },
      inputShapes: spec.inputShapes,
      ...(slowest.memory ? { memory: { ...slowest.memory, peakRssBytes: sum((r) => r.memory?.peakRssBytes), rssAfterLoadBytes: sum((r) => r.memory?.rssAfterLoadBytes) } } : {}),
      ...(slowest.cpu ? { cpu: { ...slowest.cpu, coresBusy: sum((r) => r.cpu?.coresBusy), cpuTimeS: sum((r) => r.cpu?.cpuTimeS) } } : {}),
      // Machine-wide sensors saw every member at once: one member's reading is the whole ensemble's.
      ...(ok[0].energy ? { energy: ok[0].energy } : {}),
      // Each member ran in its own runner: its warnings say which member they are about.
      warnings: ok.flatMap((r, i) => r.warnings.map((w) => ({ ...w, message: `member ${members[i].ref}: ${w.message}` }))),
      figures: { mode: 'processes', ...figures, prediction },
    };
  } finally {
    removeTempDir(dir);
  }
}
