/** What the store says about a run. */
import type { TrialResult } from '../results/types.js';
import type { RecorderMark, RunState } from './recorder.js';

export interface RunMeta {
  /** The plan as run (a plan file's content or the options the flags expanded to). */
  plan?: unknown;
  /** The command line that started the run. */
  command?: string;
  toolVersion: string;
  /** The machine's context (MachineContext), as the run saw it. */
  machine?: unknown;
  /** ISO 8601; defaults to now. Imports pass the first trial's start. */
  startedAt?: string;
  /** The process recording the run, when it records trial by trial (infermark run): lets a killed run show as interrupted. */
  recorder?: RecorderMark;
}

export interface RunSummary {
  id: string;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; absent while the run is going on, or when it was killed. */
  endedAt?: string;
  /** finished, running, interrupted (its recorder died on this host) or unknown; see store/recorder.ts. */
  state?: RunState;
  /** The process that recorded the run, when known. */
  recorder?: RecorderMark;
  command?: string;
  plan?: unknown;
  toolVersion: string;
  machine?: unknown;
  trialCount: number;
  okCount: number;
  failedCount: number;
  skippedCount: number;
  /** Distinct model paths and runtimes among the run's trials. */
  models: string[];
  runtimes: string[];
}

/** One conformance case of one runtime (src/conformance/types.ts CaseResult, as stored). */
export interface StoredConformanceCase {
  runtime: string;
  test: string;
  operator: string;
  /** pass, wrong, unsupported, error, timeout or crash. */
  status: string;
  reason?: string;
  wallMs: number;
}

export interface StoredRun {
  run: RunSummary;
  trials: TrialResult[];
  /** Present for a conformance run (infermark conformance). */
  conformance?: StoredConformanceCase[];
}
