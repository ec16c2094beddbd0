/** The SQLite file behind the asynchronous ResultsStore interface. */
import type { TrialResult } from '../results/types.js';
import { Store, type ImportOutcome } from './store.js';
import type { OpenOptions, ResultsStore } from './results-store.js';
import type { RunMeta, RunSummary, StoredConformanceCase, StoredRun } from './types.js';
import type { RecorderMark } from './recorder.js';


export class SqliteResultsStore implements ResultsStore {
  private constructor(private readonly store: Store) {}

  static open(path: string, opts: OpenOptions = {}): SqliteResultsStore {
    return new SqliteResultsStore(Store.open(path, { mustExist: opts.mustExist }));
  }

  get location(): string {
    return this.store.path;
  }

  async beginRun(meta: RunMeta): Promise<string> {
    return this.store.beginRun(meta);
  }

  async addTrial(runId: string, result: TrialResult): Promise<void> {
    this.store.addTrial(runId, result);
  }

  async claimRun(runId: string, recorder: RecorderMark): Promise<void> {
    this.store.claimRun(runId, recorder);
  }

  async addConformanceResults(runId: string, cases: StoredConformanceCase[]): Promise<void> {
    this.store.addConformanceResults(runId, cases);
  }

  async endRun(runId: string): Promise<void> {
    this.store.endRun(runId);
  }

  async findUnfinishedRun(first: TrialResult | undefined, sameCommand: (command: string) => boolean): Promise<string | undefined> {
    return this.store.findUnfinishedRun(first, sameCommand);
  }

  async listRuns(): Promise<RunSummary[]> {
    return this.store.listRuns();
  }

  async getRun(id: string): Promise<StoredRun> {
    return this.store.getRun(id);
  }

  async importJsonlDetailed(path: string): Promise<ImportOutcome> {
    return this.store.importJsonlDetailed(path);
  }

  async close(): Promise<void> {
    this.store.close();
  }
}
