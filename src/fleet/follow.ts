/**
 * Following a fleet run: one progress line from squeue and the store until
 * the job array is gone, then every trial its tasks left unfinished is
 * recorded as failed with Slurm's reason, and the run is closed.
 */
import type { PgResultsStore, FleetJob } from '../store/postgres/pg-store.js';
import type { StoredRun } from '../store/types.js';
import type { RunEntry } from '../cli/run-entries.js';
import { resumeId } from '../results/jsonl.js';
import { fmtDuration } from '../cli/format.js';
import { numberTrials, type NumberedTrial } from './shards.js';
import { queuedTasks, taskStates, type TaskState } from './slurm.js';
import { lostTrial } from './lost-trials.js';

export interface FollowOptions {
  write?: (text: string) => void;
  isTTY?: boolean;
  pollMs?: number;
}

export function progressLine(job: FleetJob, queued: TaskState[], statuses: { status: string }[], total: number, etaMs?: number): string {
  const pending = queued.filter((t) => t.state === 'PENDING').length;
  const running = queued.length - pending;
  const ended = job.shards.length - queued.length;
  const failed = statuses.filter((s) => s.status === 'failed').length;
  const eta = etaMs !== undefined ? `, ETA ${fmtDuration(etaMs)}` : '';
  return `slurm job ${job.jobId}: tasks ${pending} pending, ${running} running, ${ended} ended of ${job.shards.length}; trials ${statuses.length}/${total} in${failed ? ` (${failed} failed)` : ''}${eta}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the run's latest job to end, then accounts for what it left unfinished; returns the run as stored. */
export async function followRun(store: PgResultsStore, runId: string, opts: FollowOptions = {}): Promise<StoredRun> {
  const jobs = await store.fleetJobs(runId);
  const job = jobs[jobs.length - 1];
  const first = await store.getRun(runId);
  if (!job) return first;
  const numbered = await numberTrials(first.run.plan as RunEntry[]);
  const startedMs = Date.now();
  const before = (await store.trialStatuses(runId)).filter((s) => s.status !== 'failed').length;
  let lastLen = 0;
  let lastLine = '';
  for (;;) {
    const queued = await queuedTasks(job.jobId);
    const statuses = await store.trialStatuses(runId);
    const newly = statuses.filter((s) => s.status !== 'failed').length - before;
    const left = job.totalTrials - statuses.filter((s) => s.status !== 'failed').length;
    const etaMs = newly > 0 && left > 0 ? ((Date.now() - startedMs) / newly) * left : undefined;
    if (queued && opts.write) {
      const line = progressLine(job, queued, statuses, job.totalTrials, etaMs);
      if (opts.isTTY) {
        opts.write(`\r${line.padEnd(lastLen)}`);
        lastLen = line.length;
      } else if (line !== lastLine) {
        opts.write(`${line}\n`); // off a terminal, a line only when something changed
      }
      lastLine = line;
    }
    if (queued && queued.length === 0) break;
    await sleep(opts.pollMs ?? 1000);
  }
  if (opts.isTTY && opts.write) opts.write('\n');
  await recordLost(store, runId, job, numbered);
  await store.endRun(runId);
  return store.getRun(runId);
}

async function recordLost(store: PgResultsStore, runId: string, job: FleetJob, numbered: NumberedTrial[]): Promise<void> {
  const stored = await store.getRun(runId);
  // A trial that failed on its own keeps its error; one we marked lost before gets this job's reason.
  const present = new Set(stored.trials.filter((r) => !(r.status === 'failed' && r.error.message.startsWith('Slurm array task'))).map(resumeId));
  const states = await taskStates(job.jobId);
  const hint = `re-run it with 'infermark run PLAN --launcher slurm --resume ${runId}'`;
  for (const [task, indices] of job.shards.entries()) {
    for (const index of indices) {
      const spec = numbered[index]?.spec;
      if (!spec || present.has(resumeId(spec))) continue;
      await store.addTrial(runId, lostTrial(spec, job.jobId, task, states.get(task), hint));
    }
  }
}
