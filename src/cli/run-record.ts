/**
 * Where a run's results go besides the JSON Lines file: the results
 * database (every trial committed as it finishes), the recommendation, and
 * the report. A database that fails mid-sweep costs a warning, never the
 * sweep: the JSON Lines file still has every trial.
 */
import type { TrialResult } from '../results/types.js';
import { openResultsStore } from '../store/open.js';
import type { ResultsStore } from '../store/results-store.js';
import type { RunSummary } from '../store/types.js';
import { writeReport } from '../report/write.js';
import { machineContext } from '../engine/context.js';
import { TOOL_VERSION } from '../version.js';

/** A run that is not in the database (--no-db) still gets a report. */
function unsavedSummary(results: TrialResult[]): RunSummary {
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
  private failure?: string;
  /** Writes go out in order, one after another, while the sweep goes on. */
  private pending: Promise<void> = Promise.resolve();

  private constructor(private readonly store?: ResultsStore, private readonly runId?: string) {}

  /** Opening happens before any trial runs, so a bad --db stops everything with nothing lost. */
  static async open(db: string | undefined, enabled: boolean, meta: { command: string; plan: unknown }): Promise<RunRecorder> {
    if (!enabled) return new RunRecorder();
    const store = await openResultsStore(db);
    try {
      return new RunRecorder(store, await store.beginRun({ ...meta, toolVersion: TOOL_VERSION, machine: machineContext() }));
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  get id(): string | undefined {
    return this.runId;
  }

  add(result: TrialResult): void {
    const { store, runId } = this;
    if (!store || !runId) return;
    this.pending = this.pending.then(async () => {
      if (this.failure) return;
      try {
        await store.addTrial(runId, result);
      } catch (err) {
        this.failure = (err as Error).message;
      }
    });
  }

  /** Closes the run; returns a warning line when the database failed along the way. */
  async finish(): Promise<string | undefined> {
    if (!this.store || !this.runId) return undefined;
    await this.pending;
    try {
      if (!this.failure) await this.store.endRun(this.runId);
    } catch (err) {
      this.failure ??= (err as Error).message;
    }
    return this.failure ? `the results database stopped recording (${this.failure}); the JSON Lines file (--out) has every trial` : undefined;
  }

  async report(path: string, results: TrialResult[], format?: 'html' | 'md'): Promise<void> {
    const stored = this.store && this.runId && !this.failure
      ? await this.store.getRun(this.runId)
      : { run: unsavedSummary(results), trials: results };
    await writeReport(path, [stored], format);
  }

  async close(): Promise<void> {
    await this.store?.close();
  }
}
