/**
 * Warnings about the quality of a latency measurement. Each one states the
 * numbers that triggered it and names a remedy with a CLI flag, like
 * hyperfine's "consider --warmup".
 */
import type { BenchWarning, LatencySummary } from '../results/types.js';
import { ciRelHalfWidth } from './summary.js';

/** Coefficient of variation (stddev / mean) above which results are called noisy. */
export const HIGH_CV = 0.1;
/** Share of samples flagged as outliers above which results are called noisy. */
export const HIGH_OUTLIER_SHARE = 0.05;
/** First inference this many times the median or more is called slow. */
export const SLOW_FIRST_RUN_FACTOR = 3;
/** A median below this many timer steps is measured too coarsely. */
export const MIN_TIMER_STEPS = 100;

export interface LatencyWarningInput {
  summary: LatencySummary;
  /** The first inference after load, in milliseconds. */
  firstInferenceMs: number;
  /** Whether the stopping rule reached its CI target before the time limit. */
  converged: boolean;
  /** Smallest non-zero step of the clock, in milliseconds. */
  timerResolutionMs: number;
  /** Target relative half-width of the median's CI (0.02 means +-2%), unitless. */
  targetCiRel: number;
}

const pct = (x: number): string => `${(x * 100).toPrecision(3)}%`;
const num = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x));

/** The warnings that apply to one measured trial, in a stable order; empty when all is well. */
export function latencyWarnings(input: LatencyWarningInput): BenchWarning[] {
  const { summary: s, firstInferenceMs, converged, timerResolutionMs, targetCiRel } = input;
  const warnings: BenchWarning[] = [];

  if (!converged) {
    warnings.push({
      code: 'not-converged',
      message: `the 95% CI of the median is still +-${pct(ciRelHalfWidth(s))} after ${s.n} samples, above the target +-${pct(targetCiRel)}, when the time limit was reached`,
      remedy: 'raise --max-time, or close other programs',
    });
  }

  const cv = s.mean > 0 ? s.stddev / s.mean : 0;
  const outlierShare = s.n > 0 ? s.outliers / s.n : 0;
  if (cv > HIGH_CV || outlierShare > HIGH_OUTLIER_SHARE) {
    warnings.push({
      code: 'high-variance',
      message: `latency varies a lot: coefficient of variation ${pct(cv)} (limit ${pct(HIGH_CV)}), ${s.outliers} of ${s.n} samples are outliers (${pct(outlierShare)}, limit ${pct(HIGH_OUTLIER_SHARE)})`,
      remedy: 'consider more --warmup runs, a quieter machine (close other programs), or pinning threads (e.g. taskset, a fixed intra-op thread count)',
    });
  }

  if (s.median > 0 && firstInferenceMs > SLOW_FIRST_RUN_FACTOR * s.median) {
    const factor = firstInferenceMs / s.median;
    warnings.push({
      code: 'slow-first-run',
      message: `first inference is ${num(factor)} x slower than the median (${num(firstInferenceMs)} ms vs ${num(s.median)} ms); it is reported as firstInferenceMs and excluded`,
      remedy: 'consider --warmup',
    });
  }

  if (timerResolutionMs > 0 && s.median < MIN_TIMER_STEPS * timerResolutionMs) {
    warnings.push({
      code: 'timer-resolution',
      message: `the median ${num(s.median)} ms is only ${num(s.median / timerResolutionMs)} timer steps of ${num(timerResolutionMs)} ms (fewer than ${MIN_TIMER_STEPS})`,
      remedy: 'use a larger --batch so one call takes longer',
    });
  }
  return warnings;
}
