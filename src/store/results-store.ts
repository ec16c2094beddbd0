/**
 * The results store as every command sees it: asynchronous, so one interface
 * covers the embedded SQLite file (synchronous inside) and a PostgreSQL server
 * that many machines write to at once. Which one is chosen by the --db value:
 * a postgres:// (or postgresql://) URL, else a file path.
 */
import type { TrialResult } from '../results/types.js';
import type { ImportOutcome } from './store.js';
import type { RunMeta, RunSummary, StoredConformanceCase, StoredRun } from './types.js';
import type { RecorderMark } from './recorder.js';


export type { ImportOutcome } from './store.js';

export interface ResultsStore {
  /** Where the results live, for messages: a file path, or the URL without its password. */
  readonly location: string;
  beginRun(meta: RunMeta): Promise<string>;
  /**
   * Adds one result, committed before this resolves. In PostgreSQL a trial is
   * unique by (run, key, repetition): writing it again replaces a failed
   * result and leaves a finished one alone, so retried writers never duplicate.
   */
  addTrial(runId: string, result: TrialResult): Promise<void>;
  /** Makes `recorder` the process recording the run (--resume: the new process takes the run over). */
  claimRun(runId: string, recorder: RecorderMark): Promise<void>;

  /** Adds a conformance run's case results, all in one transaction. */
  addConformanceResults(runId: string, cases: StoredConformanceCase[]): Promise<void>;
  endRun(runId: string): Promise<void>;
  /**
   * The unfinished run (never ended: killed, or still going) that --resume continues: the one holding
   * `first` (the first trial of its JSON Lines file), or else the newest whose command `sameCommand` accepts.
   */
  findUnfinishedRun(first: TrialResult | undefined, sameCommand: (command: string) => boolean): Promise<string | undefined>;
  /** Every run, newest first. */
  listRuns(): Promise<RunSummary[]>;
  /** A run by id, unique prefix or "latest"; an unknown id is an InputError naming the nearest. */
  getRun(id: string): Promise<StoredRun>;
  importJsonlDetailed(path: string): Promise<ImportOutcome>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** For commands that only read: a missing SQLite file is an input error, not a new empty database. */
  mustExist?: boolean;
}

const PG_URL = /^postgres(ql)?:\/\//i;

export function isPostgresUrl(db: string): boolean {
  return PG_URL.test(db);
}

/** The URL with its password hidden, for messages and run records. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}
