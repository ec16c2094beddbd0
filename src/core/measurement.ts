/** What a measuring loop is told (the stopping rule) and what it returns: shared by runtimes, the runner and scenarios. */

/** What a session's own measurement loop (e.g. inside a Python worker) returns. */
export interface LoopMeasurement {
  firstInferenceMs: number;
  warmupRuns: number;
  samplesMs: number[];
  converged: boolean;
  /** Wall time of the measured window: from its start to the last call's end. */
  measuredS: number;
  timerOverheadMs: number;
  timerResolutionMs: number;
  /** Each measured call's start and end, ms from the window's start, in call order: the raw record every rate is counted from. */
  callStartMs?: number[];
  callEndMs?: number[];
  /** The window's start on the wall clock shared by processes (ms since the epoch), so several runners' windows can be lined up. */
  windowStartEpochMs?: number;
  /**
   * Items completed inside the counted window and that window's wall time, when a
   * scenario counts other than one batch per call (server: queries from the first
   * arrival to the last completion). Without it, items = calls x batch over measuredS.
   */
  counted?: { items: number; windowS: number };
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
  /** A session's own loop skips its untimed first run: the runner has run it (and the warm-up) already. */
  skipFirstRun?: boolean;
}
