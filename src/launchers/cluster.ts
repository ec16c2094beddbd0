/**
 * Launchers that hand a whole plan to a scheduler instead of running trials
 * from this process: the plan's trials, numbered, are dealt into shards, and
 * each shard runs as one worker (`infermark shard`) somewhere else, writing
 * every result to the shared results store. The store is the caller's: it is
 * handed in (ClusterStore), since launchers sit below the store in the layers.
 */
import type { TrialResult } from '../results/types.js';
import type { TrialSpec } from '../core/trial-spec.js';
import type { LauncherNeeds } from './launcher.js';

/** Scheduler settings from the command line; each cluster launcher uses those it knows. */
export interface ClusterOptions {
  partition?: string;
  /** The scheduler's own time format (Slurm: 1:00:00, 30, 2-00:00:00), passed through. */
  time?: string;
  gpusPerTask?: number;
  /** At most this many workers at once; also the number of shards when given. */
  maxParallel?: number;
  /** More scheduler flags, each passed as given (Slurm: --sbatch-arg=--account=abc). */
  sbatchArgs: string[];
}

/** One submission: which trials each worker runs, and how a worker is started. */
export interface ClusterJob {
  runId: string;
  /** Trial numbers (in the plan's expansion order) per worker. */
  shards: number[][];
  /** The node binary and infermark's main script, as the workers see them (a shared filesystem). */
  nodePath: string;
  mainPath: string;
  /** Flags for every worker (e.g. --no-check-outputs), passed as given. */
  workerFlags: string[];
  /** The submitting environment; workers inherit INFERMARK_DB from it, so no password is written into a script. */
  env: NodeJS.ProcessEnv;
}

/** A submitted job as the store remembers it (fleet_jobs). */
export interface SubmittedJob {
  jobId: string;
  /** Trials in the whole plan. */
  totalTrials: number;
  shards: number[][];
}

/** What a cluster launcher reads from and writes to the shared store while it follows a job. */
export interface ClusterStore {
  /** The run's trials now in the store, by status: a cheap poll while workers write. */
  trialStatuses(runId: string): Promise<{ status: string }[]>;
  /** The run's results as stored. */
  trials(runId: string): Promise<TrialResult[]>;
  addTrial(runId: string, result: TrialResult): Promise<void>;
}

/** One look at a job while it runs. */
export interface ClusterProgress {
  jobId: string;
  tasks: number;
  pending: number;
  running: number;
  ended: number;
  /** Results in the store, and how many of them failed. */
  trialsIn: number;
  failed: number;
  totalTrials: number;
  /** From the pace of the trials finished since following began; absent until one has. */
  etaMs?: number;
}

export interface FollowOptions {
  onProgress?: (progress: ClusterProgress) => void;
  pollMs?: number;
  /** Resolves when the caller stops waiting (after cancel): following then ends at once, job gone or not. */
  stop?: Promise<void>;
}

export interface ClusterLauncher {
  readonly name: string;
  /** The scheduler's name for messages ("Slurm"). */
  readonly scheduler: string;
  readonly needs: LauncherNeeds;
  /** What would be submitted (the job script, or the worker command): the dry run prints it. */
  jobText(job: ClusterJob): string;
  /** Asks the scheduler whether it would take the job, submitting nothing; a refusal is an InputError with the scheduler's words. */
  check(job: ClusterJob): Promise<void>;
  /** Submits the job: its id, or undefined when the workers are started by someone else. */
  submit(job: ClusterJob): Promise<string | undefined>;
  /** How the workers are started when submit returns no job (one line), or undefined. */
  handOff(runId: string): string | undefined;
  /**
   * Waits until the job is gone, reporting progress; then each trial its
   * workers left unfinished is written to the store as failed, with the
   * scheduler's reason and `resumeHint`.
   */
  follow(runId: string, job: SubmittedJob, specs: TrialSpec[], store: ClusterStore, resumeHint: string, options?: FollowOptions): Promise<void>;
  /** Cancels the whole job (finished trials stay in the store); says how, e.g. "scancel 81234". */
  cancel(jobId: string): Promise<string>;
}

/**
 * Deals the trials round-robin to `tasks` shards, so each shard gets a mix of
 * the plan (cheap and costly settings alike) and shards finish close together.
 */
export function dealShards(indices: number[], tasks: number): number[][] {
  const shards: number[][] = Array.from({ length: Math.min(tasks, indices.length) }, () => []);
  indices.forEach((trial, i) => shards[i % shards.length].push(trial));
  return shards;
}

/** How many workers: one per trial, or --max-parallel shards when given (each runs its trials in turn). */
export function taskCount(trials: number, maxParallel?: number): number {
  return Math.max(1, Math.min(trials, maxParallel ?? trials));
}
