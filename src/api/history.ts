/**
 * Earlier results in the results database, for duration estimates to learn
 * measured speed from: the dry run, and the ETA of a sweep before its first
 * trial ends. The CLI and the library read the same history.
 */
import type { TrialResult } from '../results/types.js';
import type { ResultsStore } from '../store/results-store.js';
import { openForReading } from '../store/db-option.js';

/** How many of the latest runs are read: enough to cover a study's models and runtimes, few enough to read fast. */
const HISTORY_RUNS = 20;

/** The trials of the latest runs in an open store, oldest first (estimates take the median of each figure over them). */
export async function historyOf(store: ResultsStore): Promise<TrialResult[]> {
  const runs = (await store.listRuns()).slice(0, HISTORY_RUNS).reverse();
  const trials: TrialResult[] = [];
  for (const r of runs) trials.push(...(await store.getRun(r.id)).trials);
  return trials;
}

/** The history in the database at `db` (or the default one); none when there is no database or it cannot be read. */
export async function readHistory(db: string | undefined): Promise<TrialResult[]> {
  try {
    const store = await openForReading(db);
    try {
      return await historyOf(store);
    } finally {
      await store.close();
    }
  } catch {
    // No database yet: the estimate falls back to the model's size and the stopping rule.
    return [];
  }
}
