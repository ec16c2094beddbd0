/**
 * Where a run's results go besides the JSON Lines file: the results
 * database (every trial committed as it finishes), the recommendation, and
 * the report. A database that fails mid-sweep costs a warning, never the
 * sweep: the JSON Lines file still has every trial.
 */
import type { TrialResult } from '../results/types.js';
import { openStore, type Store } from '../store/store.js';
import type { RunSummary } from '../store/types.js';
import { writeReport } from '../report/write.js';
import { machineContext } from '../engine/context.js';
import { TOOL_VERSION } from '../version.js';

/** A run that is not in the database (--no-db) still gets a report. */
export function unsavedSummary(results: TrialResult[]): RunSummary {
  const count = (status: TrialResult['status']) => results.filter((r) => r.status === status).length;
  return {
    id: 'unsaved',
    startedAt: results[0]?.context?.startedAt ?? new Date().toISOString(),
    endedAt: new Date().toISOString(),
    toolVersion: TOOL_VERSION,
    machine: machineContext(),
    trialCount: results.length,
    okCount: count('ok'),
    failedCount: count('failed'),
    skippedCount: count('skipped'),
    models: [...new Set(results.map((r) => r.model.path))],
    runtimes: [...new Set(results.map((r) => r.runtime))],
  };
}

export class RunRecorder {
  private store?: Store;
  private runId?: string;
  private failure?: string;

  /** Opening happens before any trial runs, so a bad --db stops everything with nothing lost. */
  constructor(db: string | undefined, enabled: boolean, meta: { command: string; plan: unknown }) {
    if (!enabled) return;
    this.store = openStore(db);
    this.runId = this.store.beginRun({ ...meta, toolVersion: TOOL_VERSION, machine: machineContext() });
  }

  get id(): string | undefined {
    return this.runId;
  }

  add(result: TrialResult): void {
    if (!this.store || !this.runId || this.failure) return;
    try {
      this.store.addTrial(this.runId, result);
    } catch (err) {
      this.failure = (err as Error).message;
    }
  }

  /** Closes the run; returns a warning line when the database failed along the way. */
  finish(): string | undefined {
    if (!this.store || !this.runId) return undefined;
    try {
      if (!this.failure) this.store.endRun(this.runId);
    } catch (err) {
      this.failure ??= (err as Error).message;
    }
    return this.failure ? `the results database stopped recording (${this.failure}); the JSON Lines file (--out) has every trial` : undefined;
  }

  async report(path: string, results: TrialResult[], format?: 'html' | 'md'): Promise<void> {
    const stored = this.store && this.runId && !this.failure
      ? this.store.getRun(this.runId)
      : { run: unsavedSummary(results), trials: results };
    await writeReport(path, [stored], format);
  }

  close(): void {
    this.store?.close();
  }
}
