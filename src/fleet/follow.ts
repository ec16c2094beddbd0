/**
 * Following a fleet run: its latest job is handed to the launcher that
 * submitted it, with the shared store (the launcher polls the scheduler and
 * the store, then records the trials the job left unfinished); here the
 * progress becomes one line, and the run is closed.
 */
import type { PgResultsStore } from '../store/postgres/pg-store.js';
import type { StoredRun } from '../store/types.js';
import type { RunEntry } from '../cli/run-entries.js';
import { fmtDuration } from '../cli/format.js';
import type { ClusterProgress, ClusterStore } from '../launchers/cluster.js';
import { createClusterLauncher } from '../launchers/registry.js';
import { numberTrials } from './shards.js';

export interface FollowRunOptions {
  write?: (text: string) => void;
  isTTY?: boolean;
  pollMs?: number;
  /** Resolves when the caller stops waiting (after a cancel). */
  stop?: Promise<void>;
}

export function progressLine(p: ClusterProgress): string {
  const eta = p.etaMs !== undefined ? `, ETA ${fmtDuration(p.etaMs)}` : '';
  return `slurm job ${p.jobId}: tasks ${p.pending} pending, ${p.running} running, ${p.ended} ended of ${p.tasks}; trials ${p.trialsIn}/${p.totalTrials} in${p.failed ? ` (${p.failed} failed)` : ''}${eta}`;
}

/** The PostgreSQL store as a cluster launcher sees it. */
export function clusterStore(store: PgResultsStore): ClusterStore {
  return {
    trialStatuses: (runId) => store.trialStatuses(runId),
    trials: async (runId) => (await store.getRun(runId)).trials,
    addTrial: (runId, result) => store.addTrial(runId, result),
  };
}

export function resumeHint(runId: string): string {
  return `re-run it with 'infermark run PLAN --launcher slurm --resume ${runId}'`;
}

/** Waits for the run's latest job to end, then accounts for what it left unfinished; returns the run as stored. */
export async function followRun(store: PgResultsStore, runId: string, opts: FollowRunOptions = {}): Promise<StoredRun> {
  const jobs = await store.fleetJobs(runId);
  const job = jobs[jobs.length - 1];
  const first = await store.getRun(runId);
  if (!job) return first;
  const specs = (await numberTrials(first.run.plan as RunEntry[])).map((t) => t.spec);
  let lastLen = 0;
  let lastLine = '';
  const onProgress = opts.write && ((p: ClusterProgress) => {
    const line = progressLine(p);
    if (opts.isTTY) {
      opts.write!(`\r${line.padEnd(lastLen)}`);
      lastLen = line.length;
    } else if (line !== lastLine) {
      opts.write!(`${line}\n`); // off a terminal, a line only when something changed
    }
    lastLine = line;
  });
  // fleet_jobs holds Slurm's jobs: the slurm launcher follows them.
  await createClusterLauncher('slurm', { sbatchArgs: [] }).follow(runId, job, specs, clusterStore(store), resumeHint(runId), { onProgress, pollMs: opts.pollMs, stop: opts.stop });
  if (opts.isTTY && opts.write && lastLen) opts.write('\n');
  await store.endRun(runId);
  return store.getRun(runId);
}
