/**
 * The Slurm launcher: a plan as one `sbatch --array` job whose task N runs
 * shard N with `infermark shard` on its node, writing each result to the
 * shared store. It follows the array with squeue (no accounting needed), and
 * when the array is gone it records each trial a task left unfinished as
 * failed, with Slurm's reason, in the store it was handed.
 */
import type { TrialSpec } from '../core/trial-spec.js';
import type { ClusterJob, ClusterLauncher, ClusterOptions, ClusterStore, FollowOptions, SubmittedJob } from './cluster.js';
import { jobScript } from './slurm-script.js';
import { queuedTasks, sbatch, scancel, taskStates } from './slurm-commands.js';
import { lostTrial, LOST_PREFIX } from './slurm-lost-trials.js';
import { resumeId } from '../results/jsonl.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** After the caller stops (a cancel), how long to wait for Slurm to end the tasks, so their states are final. */
const STOP_GRACE_MS = 15_000;

export class SlurmLauncher implements ClusterLauncher {
  readonly name = 'slurm';
  readonly scheduler = 'Slurm';
  readonly needs = { sharedStore: true };

  constructor(private readonly options: ClusterOptions = { sbatchArgs: [] }) {}

  jobText(job: ClusterJob): string {
    return jobScript({ ...job, slurm: this.options });
  }

  async check(job: ClusterJob): Promise<void> {
    await sbatch(this.jobText(job), job.env, true);
  }

  submit(job: ClusterJob): Promise<string> {
    return sbatch(this.jobText(job), job.env);
  }

  handOff(): undefined {
    return undefined;
  }

  async follow(runId: string, job: SubmittedJob, specs: TrialSpec[], store: ClusterStore, resumeHint: string, options: FollowOptions = {}): Promise<void> {
    let stoppedAt: number | undefined;
    void options.stop?.then(() => { stoppedAt = Date.now(); });
    const startedMs = Date.now();
    const finishedCount = (statuses: { status: string }[]) => statuses.filter((s) => s.status !== 'failed').length;
    const before = finishedCount(await store.trialStatuses(runId));
    for (;;) {
      const queued = await queuedTasks(job.jobId);
      const statuses = await store.trialStatuses(runId);
      if (queued && options.onProgress) {
        const newly = finishedCount(statuses) - before;
        const left = job.totalTrials - finishedCount(statuses);
        const pending = queued.filter((t) => t.state === 'PENDING').length;
        options.onProgress({
          jobId: job.jobId, tasks: job.shards.length, pending, running: queued.length - pending, ended: job.shards.length - queued.length,
          trialsIn: statuses.length, failed: statuses.length - finishedCount(statuses), totalTrials: job.totalTrials,
          ...(newly > 0 && left > 0 ? { etaMs: ((Date.now() - startedMs) / newly) * left } : {}),
        });
      }
      if (queued && queued.length === 0) break;
      if (stoppedAt !== undefined && Date.now() - stoppedAt > STOP_GRACE_MS) break;
      await Promise.race([sleep(stoppedAt !== undefined ? 200 : options.pollMs ?? 1000), ...(stoppedAt === undefined && options.stop ? [options.stop] : [])]);
    }
    await this.recordLost(runId, job, specs, store, resumeHint);
  }

  /** Each trial of the job that is not in the store (or was marked lost by an earlier job) becomes a failed result with its task's end. */
  private async recordLost(runId: string, job: SubmittedJob, specs: TrialSpec[], store: ClusterStore, resumeHint: string): Promise<void> {
    // A trial that failed on its own keeps its error; one marked lost before gets this job's reason.
    const present = new Set((await store.trials(runId)).filter((r) => !(r.status === 'failed' && r.error.message.startsWith(LOST_PREFIX))).map(resumeId));
    const states = await taskStates(job.jobId);
    for (const [task, indices] of job.shards.entries()) {
      for (const index of indices) {
        const spec = specs[index];
        if (!spec || present.has(resumeId(spec))) continue;
        await store.addTrial(runId, lostTrial(spec, job.jobId, task, states.get(task), resumeHint));
      }
    }
  }

  async cancel(jobId: string): Promise<string> {
    await scancel(jobId);
    return `scancel ${jobId}`;
  }
}
