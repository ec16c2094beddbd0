/**
 * The launcher axis: where a trial runs. A launcher starts the trial's
 * runner, streams its progress, and returns its result, or a failed result
 * with the reason (crash, signal, timeout, out of memory): it never throws
 * for a trial. `local` forks a runner here. Launchers that hand a whole plan
 * to a scheduler (Slurm's job array, another scheduler's workers) implement
 * ClusterLauncher (cluster.ts) instead. Each is one file and a line in
 * registry.ts, which also says what each needs.
 */
import type { TrialResult } from '../results/types.js';
import type { TrialSpec } from '../core/trial-spec.js';
import type { Probe } from '../probes/probe.js';

export type LaunchPhase = 'starting' | 'loaded' | 'measuring' | 'done';

export interface LaunchOptions {
  /** Probes that watch the runner's process while it measures. */
  probes?: Probe[];
  /** Called with each runner event, e.g. to show 'loading' vs 'measuring' in a progress line. */
  onPhase?: (phase: LaunchPhase) => void;
  /** RSS of this runtime's runner with no model, for the result's memory.baselineRssBytes. */
  runnerBaselineRssBytes?: number;
  /** Co-located runners: each reports `loaded`, and all start measuring when `go` resolves. */
  barrier?: { loaded: () => void; go: Promise<void> };
  /** Everything the runner writes to stdout and stderr, as it comes (--show-output). */
  onOutput?: (text: string) => void;
}

export interface Launcher {
  name: string;
  /** Runs one trial to its result; never throws for a trial. */
  run(spec: TrialSpec, options: LaunchOptions): Promise<TrialResult>;
  /** Ends every trial it is running; each ends as a failed result. */
  cancel(): void;
}

/**
 * What a launcher needs from the command that uses it, stated as data so the
 * command provides it, or refuses with one line, before anything runs.
 */
export interface LauncherNeeds {
  /**
   * Its trials run on other machines, so their results go to a results store
   * every machine reaches (a PostgreSQL server). The command opens it and
   * hands it in (ClusterLauncher.follow's store); the launcher never opens one.
   */
  sharedStore: boolean;
}

/** A launcher as the registry lists it. */
export interface LauncherInfo {
  name: string;
  description: string;
  /** trial: runs one trial at a time from this process (a Launcher); plan: hands a whole plan to a scheduler (a ClusterLauncher). */
  scope: 'trial' | 'plan';
  needs: LauncherNeeds;
}
