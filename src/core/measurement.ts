/** What a measuring loop is told (the stopping rule) and what it returns: shared by runtimes, the runner and scenarios. */

/** What a session's own measurement loop (e.g. inside a Python worker) returns. */
export interface LoopMeasurement {
  firstInferenceMs: number;
  warmupRuns: number;
  samplesMs: number[];
  converged: boolean;
  measuredS: number;
  timerOverheadMs: number;
  timerResolutionMs: number;
  /** Facts the loop counted beyond the samples (e.g. completed items of async requests). */
  extra?: Record<string, unknown>;
}

export interface StoppingRule {
  /** Runs after the first inference and before measuring. */
  warmupRuns: number;
  /** Warm-up stops early once it has taken this long (a slow model need not warm up for minutes). */
  warmupMaxMs?: number;
  minSamples: number;
  minTimeMs: number;
  maxTimeMs: number;
  /** Target CI95 half-width of the median, relative to the median (0.02 = 2%). */
  targetCiRel: number;
  /** Hard cap on samples, to bound memory. */
  maxSamples: number;
}
