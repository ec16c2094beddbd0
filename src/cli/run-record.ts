/**
 * Where a run's results go besides the JSON Lines file: the results
 * database (every trial committed as it finishes), the recommendation, and
 * the report. A database that fails mid-sweep costs a warning, never the
 * sweep: the JSON Lines file still has every trial.
 */
import type { TrialResult } from '../results/types.js';
import { openResultsStore } from '../store/open.js';
import { currentRecorder } from '../store/recorder.js';
import type { ResultsStore } from '../store/results-store.js';
import type { RunSummary } from '../store/types.js';
import { writeReport } from '../report/write.js';
import { machineContext } from '../engine/context.js';
import { TOOL_VERSION } from '../version.js';
import { InputError } from '../errors/input-error.js';
import type { SweepStoppedError } from '../results/save-error.js';
import { JsonlWriter, readJsonl, resumeId } from '../results/jsonl.js';

/**
 * For the kill tests: INFERMARK_TEST_KILL_AT_WRITE=k SIGKILLs the run at its k-th write step (step 2t-1:
 * trial t about to be committed to the database; step 2t: committed, its JSON Lines line not yet written),
 * its whole process group when it leads one, so the runner children die with it as under a real kill.
 */
const KILL_AT_WRITE = Number(process.env.INFERMARK_TEST_KILL_AT_WRITE ?? 0);
let writeSteps = 0;

function writeStep(): void {
  if (!KILL_AT_WRITE || ++writeSteps !== KILL_AT_WRITE) return;
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.kill(process.pid, 'SIGKILL');
  }
}

/** The command line as first run: a resumed run is found by the command that started it. */
export function withoutResume(command: string): string {
  return command.split(' ').filter((w) => w !== '--resume').join(' ');
}

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
    state: 'finished',
    models: [...new Set(results.map((r) => r.model.path))],
    runtimes: [...new Set(results.map((r) => r.runtime))],
  };
}

/** What --resume found and put right before the sweep continues. */
export interface Reconciled {
  runId: string;
  /** Trials the database had but the JSON Lines file lacked (killed between the two writes): appended to the file. */
  toJsonl: number;
  /** Trials the file had but the database lacked: added to the database. */
  toDb: number;
}

export class RunRecorder {
  private failure?: string;
  /** Resume ids of the trials the database holds for this run. */
  private readonly stored = new Set<string>();
  reconciled?: Reconciled;

  private constructor(private readonly store?: ResultsStore, private runId?: string) {}

  /**
   * Opening happens before any trial runs, so a bad --db stops everything with nothing lost.
   * With `resumeOut`, the unfinished run that wrote that file is continued under its own id,
   * after the file and the database are made to agree (each gets what only the other has).
   */
  static async open(db: string | undefined, enabled: boolean, meta: { command: string; plan: unknown }, resumeOut?: string): Promise<RunRecorder> {
    if (!enabled) return new RunRecorder();
    let store: ResultsStore | undefined;
    try {
      store = await openResultsStore(db);
      const recorder = new RunRecorder(store);
      await recorder.begin(meta, resumeOut);
      return recorder;
    } catch (err) {
      await store?.close();
      if (err instanceof InputError) throw err;
      // A full disk or an unwritable folder at start: nothing has run yet, so say so in one line.
      throw new InputError('--db', `--db: the results database cannot be written (${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}); nothing was run: free space, choose another file with --db, or pass --no-db`);
    }
  }

  private async begin(meta: { command: string; plan: unknown }, resumeOut: string | undefined): Promise<void> {
    const store = this.store!;
    const fresh = () => store.beginRun({ ...meta, toolVersion: TOOL_VERSION, machine: machineContext(), recorder: currentRecorder() });
    if (!resumeOut) {
      this.runId = await fresh();
      return;
    }
    const inFile = readJsonl(resumeOut).results;
    const previous = await store.findUnfinishedRun(inFile[0], (c) => withoutResume(c) === withoutResume(meta.command));
    if (!previous) {
      this.runId = await fresh();
      for (const r of inFile) await this.addNow(r);
      this.reconciled = { runId: this.runId, toJsonl: 0, toDb: inFile.length };
      return;
    }
    this.runId = previous;
    await store.claimRun(previous, currentRecorder());
    const inDb = (await store.getRun(previous)).trials;
    for (const r of inDb) this.stored.add(resumeId(r));
    const fileIds = new Set(inFile.map(resumeId));
    const missingInFile = inDb.filter((r) => !fileIds.has(resumeId(r)));
    if (missingInFile.length) {
      const writer = new JsonlWriter(resumeOut);
      try {
        for (const r of missingInFile) writer.append(r);
      } finally {
        writer.close();
      }
    }
    const missingInDb = inFile.filter((r) => !this.stored.has(resumeId(r)));
    for (const r of missingInDb) await this.addNow(r);
    this.reconciled = { runId: previous, toJsonl: missingInFile.length, toDb: missingInDb.length };
  }

  get id(): string | undefined {
    return this.runId;
  }

  private async addNow(result: TrialResult): Promise<void> {
    await this.store!.addTrial(this.runId!, result);
    this.stored.add(resumeId(result));
  }

  /** Whether the database holds this trial for this run. */
  has(result: TrialResult): boolean {
    return this.stored.has(resumeId(result));
  }

  /** Commits the trial to the database before it resolves: the caller writes the JSON Lines line after. */
  async add(result: TrialResult): Promise<void> {
    if (!this.store || !this.runId || this.failure) return;
    writeStep();
    try {
      await this.addNow(result);
    } catch (err) {
      this.failure = (err as Error).message;
    }
    writeStep();
  }

  /** Closes the run; returns a warning line when the database failed along the way. */
  async finish(): Promise<string | undefined> {
    if (!this.store || !this.runId) return undefined;
    try {
      if (!this.failure) await this.store.endRun(this.runId);
    } catch (err) {
      this.failure ??= (err as Error).message;
    }
    return this.failure ? `the results database stopped recording (${this.failure}); ${this.stored.size} trial(s) of run ${this.runId} are in it, the JSON Lines file (--out, when given) has the rest` : undefined;
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

/** One line saying where every trial of a sweep stopped by a failed save is. */
export function stoppedText(stopped: SweepStoppedError, recorder: RunRecorder, notRun: number): string {
  const unsaved = stopped.results[stopped.results.length - 1];
  const where = unsaved && recorder.has(unsaved)
    ? `that trial is in the results database only (run ${recorder.id})`
    : 'that trial is in neither the file nor the database and will run again on --resume';
  const resume = recorder.id ? `run the same command with --resume to continue run ${recorder.id}` : 'run the same command with --resume to continue';
  return `${stopped.message}; ${where}; the sweep stopped there, ${Math.max(notRun, 0)} planned trial(s) not run: free space on the disk, then ${resume}`;
}
