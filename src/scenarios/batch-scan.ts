/**
 * The offline batch scan: the batch doubles from `from` until throughput
 * stops improving by more than `threshold`, memory runs out, a trial fails,
 * or `max` is reached. Pure: the sweep feeds it the results so far.
 */
import type { OfflineFigures, ScanStop, TrialResult } from '../results/types.js';

export interface BatchScan { from: number; max: number; threshold: number }

export type { ScanStop } from '../results/types.js';
/** Today's name for the offline scenario's figures. */
export type ScanSummary = OfflineFigures;

export type ScanDecision = { next: number } | { stop: ScanSummary };

const MEMORY_FAILURE = /out of memory|oom|bad_alloc|cannot allocate|failed to allocate|memory/i;

function isMemoryFailure(r: TrialResult): boolean {
  return r.status === 'failed' && (r.error.kind === 'oom' || MEMORY_FAILURE.test(r.error.message));
}

export function scanDecision(history: TrialResult[], scan: BatchScan): ScanDecision {
  const last = history[history.length - 1];
  const ok = history.filter((r) => r.status === 'ok');
  const throughput = (r: TrialResult) => (r.status === 'ok' ? r.throughputPerS : null);
  const best = ok.reduce<TrialResult | undefined>((m, r) => (!m || throughput(r)! > throughput(m)! ? r : m), undefined);
  const summary = (stoppedBecause: ScanStop, detail: string): ScanDecision => ({
    stop: {
      batches: history.map((r) => r.batchSize),
      throughputsPerS: history.map(throughput),
      bestBatch: best?.batchSize ?? null,
      bestThroughputPerS: best ? throughput(best) : null,
      stoppedBecause,
      detail,
    },
  });
  if (isMemoryFailure(last)) {
    return summary('memory', `batch ${last.batchSize} ran out of memory; the scan ends at batch ${history.length > 1 ? history[history.length - 2].batchSize : 'none'}`);
  }
  if (last.status !== 'ok') return summary('failed', `batch ${last.batchSize} ${last.status === 'failed' ? `failed: ${last.error.message}` : `was skipped: ${last.reason}`}`);
  if (history.length >= 2) {
    const prev = history[history.length - 2];
    if (prev.status === 'ok' && last.throughputPerS < prev.throughputPerS * (1 + scan.threshold)) {
      return summary('plateau', `throughput at batch ${last.batchSize} improved less than ${(scan.threshold * 100).toFixed(0)}% over batch ${prev.batchSize}`);
    }
  }
  const next = last.batchSize * 2;
  if (next > scan.max) return summary('bound', `the next batch (${next}) is above the bound ${scan.max}`);
  return { next };
}
