/**
 * The launcher axis: where a trial runs. A launcher starts the trial's
 * runner, streams its progress, and returns its result, or a failed result
 * with the reason (crash, signal, timeout, out of memory): it never throws
 * for a trial. `local` forks a runner here; others (a cluster's task) are
 * one file each and a line in registry.ts.
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
