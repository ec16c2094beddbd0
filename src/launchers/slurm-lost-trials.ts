/**
 * Trials an array task never finished (it was cancelled, timed out, ran out
 * of memory, or its node failed) become failed results that carry Slurm's
 * reason. They are written to the store, and a --resume replaces them.
 */
import type { FailedTrial, FailureKind } from '../results/types.js';
import type { TrialSpec } from '../core/trial-spec.js';
import type { TaskState } from './slurm-commands.js';
import { scenarioPart } from '../results/scenario-part.js';
import { RESULTS_FORMAT_VERSION } from '../results/types.js';

/** How every lost trial's message begins, so a later job's accounting can tell them from trials that failed on their own. */
export const LOST_PREFIX = 'Slurm array task';

function kindOf(state: string): FailureKind {
  if (state.startsWith('CANCELLED') || state === 'PREEMPTED') return 'signal';
  if (state === 'TIMEOUT' || state === 'DEADLINE') return 'timeout';
  if (state === 'OUT_OF_MEMORY') return 'oom';
  if (state === 'NODE_FAIL' || state === 'BOOT_FAIL') return 'crash';
  return 'error';
}

export function lostTrial(spec: TrialSpec, jobId: string, task: number, state: TaskState | undefined, resumeHint: string): FailedTrial {
  const what = state
    ? `ended ${state.state} (reason ${state.reason}${state.exitCode ? `, exit code ${state.exitCode}` : ''}${state.node ? `, node ${state.node}` : ''})`
    : 'is gone from Slurm with no record of how it ended';
  return {
    status: 'failed', key: spec.key, runtime: spec.runtime, provider: spec.provider, settings: spec.settings,
    batchSize: spec.batchSize, ...scenarioPart(spec.scenario), formatVersion: RESULTS_FORMAT_VERSION,
    model: { path: spec.modelRef, sha256: spec.modelSha256, sizeBytes: spec.modelSizeBytes },
    inputShapes: spec.inputShapes, warnings: [],
    ...(spec.repetition !== undefined ? { repetition: spec.repetition } : {}),
    error: {
      kind: state ? kindOf(state.state) : 'error',
      message: `${LOST_PREFIX} ${jobId}_${task} ${what} before this trial finished; ${resumeHint}`,
    },
  };
}
