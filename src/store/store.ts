/**
 * The results database: an embedded SQLite file in WAL mode, so reports and
 * `infermark runs` read while a sweep writes. Each trial is committed on its
 * own the moment it exists; nothing finished is lost when a sweep is killed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { InputError } from '../errors/input-error.js';
import { readJsonl } from '../results/jsonl.js';
import type { TrialResult } from '../results/types.js';
import { insertDetails, joinResult, splitResult } from './codec.js';
import { defaultDbPath } from './default-path.js';
import type { StoredConformanceCase } from './types.js';
import { processesHolding } from './lock-holders.js';
import { CONFORMANCE_COLUMNS, conformanceCase, type ConformanceRow } from './conformance-row.js';
import { nearestIds, newRunId } from './run-id.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import type { RunMeta, RunSummary, StoredRun } from './types.js';
import { recorderFromColumns, runState, type RecorderMark } from './recorder.js';

export type { RunMeta, RunSummary, StoredConformanceCase, StoredRun } from './types.js';

export interface StoreOptions {
  /** Fail with a clear message instead of creating a database (for commands that only read). */
  mustExist?: boolean;
  /** How long SQLite itself waits for a lock before giving up once. */
  busyTimeoutMs?: number;
  /** How many more times we try after SQLite gives up, before naming the holder. */
  lockRetries?: number;
}

export interface ImportOutcome {
  runId: string;
  trials: number;
  /** Lines that were not results (e.g. cut short by a kill, or a field missing). */
  badLines: number;
  /** The first of them: its line number and what is wrong with it. */
  firstProblem?: string;
  /** True when this very file was imported before: nothing was added. */
  alreadyImported: boolean;
}

/**
 * Thrown when another process keeps the database locked past all our retries.
 * An InputError so the CLI prints it as one line naming --db, not as a crash.
 */
export class StoreLockedError extends InputError {
  constructor(message: string) {
    super('--db', message);
    this.name = 'StoreLockedError';
  }
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
const DEFAULT_LOCK_RETRIES = 3;

interface RunRow {
  id: string; started_at: string; ended_at: string | null; command: string | null; plan_json: string | null;
  tool_version: string; machine_json: string | null;
  recorder_host?: string | null; recorder_pid?: number | null; recorder_token?: string | null;
  trial_count: number; ok_count: number; failed_count: number; skipped_count: number;
  models: string | null; runtimes: string | null;
}

const RUNS_SQL = `
SELECT r.*,
  (SELECT COUNT(*) FROM trials t WHERE t.run_id = r.id) AS trial_count,
  (SELECT COUNT(*) FROM trials t WHERE t.run_id = r.id AND t.status = 'ok') AS ok_count,
  (SELECT COUNT(*) FROM trials t WHERE t.run_id = r.id AND t.status = 'failed') AS failed_count,
  (SELECT COUNT(*) FROM trials t WHERE t.run_id = r.id AND t.status = 'skipped') AS skipped_count,
  (SELECT json_group_array(DISTINCT model_path) FROM trials t WHERE t.run_id = r.id) AS models,
  (SELECT json_group_array(DISTINCT runtime) FROM trials t WHERE t.run_id = r.id) AS runtimes
FROM runs r`;

function toSummary(row: RunRow): RunSummary {
  const s: RunSummary = {
    id: row.id,
    startedAt: row.started_at,
    toolVersion: row.tool_version,
    trialCount: row.trial_count,
    okCount: row.ok_count,
    failedCount: row.failed_count,
    skippedCount: row.skipped_count,
    models: row.models ? (JSON.parse(row.models) as string[]).sort() : [],
    runtimes: row.runtimes ? (JSON.parse(row.runtimes) as string[]).sort() : [],
    state: 'unknown',
  };
  if (row.ended_at) s.endedAt = row.ended_at;
  const recorder = recorderFromColumns(row.recorder_host, row.recorder_pid, row.recorder_token);
  if (recorder) s.recorder = recorder;
  s.state = runState(s.endedAt, recorder);
  if (row.command) s.command = row.command;
  if (row.plan_json) s.plan = JSON.parse(row.plan_json);
  if (row.machine_json) s.machine = JSON.parse(row.machine_json);
  return s;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

export class Store {
  private constructor(readonly path: string, private readonly db: BetterSqlite3.Database, private readonly lockRetries: number, private readonly busyTimeoutMs: number) {}

  /** Opens (creating or migrating as needed) the database at `path`. */
  static open(path: string, opts: StoreOptions = {}): Store {
    const abs = resolve(path);
    if (!existsSync(abs)) {
      if (opts.mustExist) {
        throw new InputError('--db', `no results database at ${abs}: run 'infermark run MODEL' or 'infermark import FILE.jsonl' first, or pass --db PATH`);
      }
      mkdirSync(dirname(abs), { recursive: true });
    }
    const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    const db = new Database(abs, { timeout: busyTimeoutMs });
    const store = new Store(abs, db, opts.lockRetries ?? DEFAULT_LOCK_RETRIES, busyTimeoutMs);
    try {
      store.withRetry(() => store.prepareSchema());
    } catch (err) {
      db.close();
      throw err;
    }
    return store;
  }

  /** Checks the file is ours (or empty) before anything is written to it, then migrates. */
  private prepareSchema(): void {
    let appId: number;
    let version: number;
    let tables: string[];
    try {
      appId = this.db.pragma('application_id', { simple: true }) as number;
      version = this.db.pragma('user_version', { simple: true }) as number;
      tables = (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_NOTADB') {
        throw new InputError('--db', `${this.path} is not an infermark results database (not an SQLite file); nothing was written to it: choose another file with --db`);
      }
      throw err;
    }
    const fresh = appId === 0 && version === 0 && tables.length === 0;
    if (!fresh && appId !== APPLICATION_ID) {
      throw new InputError('--db', `${this.path} is an SQLite database that does not belong to infermark (tables: ${tables.slice(0, 5).join(', ') || 'none'}); nothing was written to it: choose another file with --db`);
    }
    if (version > SCHEMA_VERSION) {
      throw new InputError('--db', `${this.path} was written by a newer infermark (schema ${version}; this one reads up to ${SCHEMA_VERSION}); nothing was changed: upgrade infermark, or use another file with --db`);
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    if (version === SCHEMA_VERSION) return;
    this.db.transaction(() => {
      // Re-read inside the write transaction: another process may have migrated meanwhile.
      const current = this.db.pragma('user_version', { simple: true }) as number;
      for (const m of MIGRATIONS) {
        if (m.version <= current) continue;
        m.up(this.db);
        this.db.pragma(`user_version = ${m.version}`);
      }
      this.db.pragma(`application_id = ${APPLICATION_ID}`);
    }).immediate();
  }

  /**
   * SQLite already waits busyTimeoutMs for a lock; a sweep's writes are short,
   * so a few more tries usually get through. When they do not, say who holds it.
   */
  private withRetry<T>(fn: () => T): T {
    for (let attempt = 0; ; attempt++) {
      try {
        return fn();
      } catch (err) {
        if (!isBusy(err)) throw err;
        if (attempt >= this.lockRetries) {
          const holders = processesHolding(this.path);
          const who = holders.length
            ? holders.map((h) => `pid ${h.pid} (${h.command.slice(0, 120)})`).join(', ')
            : 'another process (could not tell which)';
          const waitedS = ((attempt + 1) * this.busyTimeoutMs) / 1000;
          throw new StoreLockedError(`results database ${this.path} is locked by ${who}; waited ${waitedS} s. Wait for it to finish, stop it, or use --db to choose another file`);
        }
      }
    }
  }

  beginRun(meta: RunMeta): string {
    return this.withRetry(() => {
      const insert = this.db.prepare(`INSERT INTO runs (id, started_at, command, plan_json, tool_version, machine_json, recorder_host, recorder_pid, recorder_token)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (;;) {
        const id = newRunId();
        try {
          insert.run(id, meta.startedAt ?? new Date().toISOString(), meta.command ?? null,
            meta.plan === undefined ? null : JSON.stringify(meta.plan), meta.toolVersion,
            meta.machine === undefined ? null : JSON.stringify(meta.machine),
            meta.recorder?.host ?? null, meta.recorder?.pid ?? null, meta.recorder?.token ?? null);
          return id;
        } catch (err) {
          // Two runs in the same second with the same suffix: draw again.
          if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err;
        }
      }
    });
  }

  /** Makes `recorder` the process recording the run (a resumed run is recorded by its new process). */
  claimRun(runId: string, recorder: RecorderMark): void {
    this.withRetry(() => this.db.prepare('UPDATE runs SET recorder_host = ?, recorder_pid = ?, recorder_token = ? WHERE id = ?').run(recorder.host, recorder.pid, recorder.token, runId));
  }

  /** Adds one result in its own transaction, committed before this returns. */
  addTrial(runId: string, result: TrialResult): void {
    this.withRetry(() => this.db.transaction(() => this.insertTrial(runId, result)).immediate());
  }

  /**
   * A trial is unique by (run, key, repetition), as in PostgreSQL: writing it
   * again replaces a failed result (a re-run after a lost node) and leaves a
   * finished one alone, so a retried writer never duplicates a trial.
   */
  private insertTrial(runId: string, result: TrialResult): void {
    const { json, details } = splitResult(result);
    const repetition = result.repetition ?? 0;
    const existing = this.db.prepare('SELECT id, status FROM trials WHERE run_id = ? AND key = ? AND repetition = ?')
      .get(runId, result.key, repetition) as { id: number; status: string } | undefined;
    const fields = [result.status, result.runtime, result.provider, result.batchSize, result.scenario, result.model.path, result.model.sha256, json];
    if (existing) {
      if (existing.status !== 'failed') return;
      this.db.prepare(`UPDATE trials SET status = ?, runtime = ?, provider = ?, batch_size = ?, scenario = ?, model_path = ?,
        model_sha256 = ?, result_json = ? WHERE id = ?`).run(...fields, existing.id);
      for (const table of ['samples', 'energy_readings', 'series']) this.db.prepare(`DELETE FROM ${table} WHERE trial_id = ?`).run(existing.id);
      insertDetails(this.db, existing.id, details);
      return;
    }
    const info = this.db.prepare(`INSERT INTO trials (run_id, seq, key, repetition, status, runtime, provider, batch_size, scenario, model_path, model_sha256, result_json)
      VALUES (?, (SELECT COALESCE(MAX(seq), -1) + 1 FROM trials WHERE run_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(runId, runId, result.key, repetition, ...fields);
    insertDetails(this.db, info.lastInsertRowid, details);
  }

  /**
   * The unfinished run (killed, or stopped) that a resumed sweep continues:
   * the one holding `first` (the JSON Lines file's first trial, matched by
   * key, repetition and start time), else the newest unfinished run started
   * by the same command. Undefined when there is none.
   */
  findUnfinishedRun(first: TrialResult | undefined, sameCommand: (command: string) => boolean): string | undefined {
    return this.withRetry(() => {
      if (first) {
        const rows = this.db.prepare(`SELECT t.id, t.run_id, t.result_json FROM trials t JOIN runs r ON r.id = t.run_id
          WHERE r.ended_at IS NULL AND t.key = ? AND t.repetition = ? ORDER BY r.started_at DESC`).all(first.key, first.repetition ?? 0) as { id: number; run_id: string; result_json: string }[];
        const match = rows.find((r) => joinResult(this.db, r.id, r.result_json).context?.startedAt === first.context?.startedAt);
        return match?.run_id;
      }
      const rows = this.db.prepare('SELECT id, command FROM runs WHERE ended_at IS NULL ORDER BY started_at DESC').all() as { id: string; command: string | null }[];
      return rows.find((r) => r.command !== null && sameCommand(r.command))?.id;
    });
  }

  /** Adds a conformance run's case results in one transaction. */
  addConformanceResults(runId: string, cases: StoredConformanceCase[]): void {
    this.withRetry(() => this.db.transaction(() => {
      const insert = this.db.prepare(`INSERT INTO conformance_results (run_id, seq, runtime, test, operator, status, reason, wall_ms)
        VALUES (?, (SELECT COALESCE(MAX(seq), -1) + 1 FROM conformance_results WHERE run_id = ?), ?, ?, ?, ?, ?, ?)`);
      for (const c of cases) insert.run(runId, runId, c.runtime, c.test, c.operator, c.status, c.reason ?? null, c.wallMs);
    }).immediate());
  }

  endRun(runId: string): void {
    this.withRetry(() => this.db.prepare('UPDATE runs SET ended_at = ? WHERE id = ?').run(new Date().toISOString(), runId));
  }

  /** Every run, newest first. */
  listRuns(): RunSummary[] {
    return this.withRetry(() => (this.db.prepare(`${RUNS_SQL} ORDER BY r.started_at DESC, r.id DESC`).all() as RunRow[]).map(toSummary));
  }

  /**
   * A run by its id, a unique prefix of it, "latest", or "latest~N" (the
   * Nth before the latest, as git counts commits). An unknown id is an
   * InputError that lists the nearest ids.
   */
  getRun(id: string): StoredRun {
    return this.withRetry(() => this.db.transaction(() => {
      const runId = this.resolveRunId(id);
      const row = this.db.prepare(`${RUNS_SQL} WHERE r.id = ?`).get(runId) as RunRow;
      const rows = this.db.prepare('SELECT id, result_json FROM trials WHERE run_id = ? ORDER BY seq').all(runId) as { id: number; result_json: string }[];
      // One read transaction so the trials match the summary even while a sweep appends.
      const conformance = (this.db.prepare(`SELECT ${CONFORMANCE_COLUMNS} FROM conformance_results WHERE run_id = ? ORDER BY seq`).all(runId) as ConformanceRow[]).map(conformanceCase);
      return { run: toSummary(row), trials: rows.map((r) => joinResult(this.db, r.id, r.result_json)), ...(conformance.length ? { conformance } : {}) };
    })());
  }

  resolveRunId(id: string): string {
    const ids = (this.db.prepare('SELECT id FROM runs ORDER BY started_at DESC, id DESC').all() as { id: string }[]).map((r) => r.id);
    if (ids.length === 0) {
      throw new InputError('run', `the results database ${this.path} has no runs yet: run 'infermark run MODEL' or 'infermark import FILE.jsonl' first`);
    }
    const back = /^latest(?:~(\d+))?$/.exec(id);
    if (back) {
      const n = back[1] === undefined ? 0 : Number(back[1]);
      if (n >= ids.length) throw new InputError('run', `${id}: there are only ${ids.length} run(s), so latest~${ids.length - 1} is the oldest (all runs: 'infermark runs')`);
      return ids[n];
    }
    if (ids.includes(id)) return id;
    const byPrefix = ids.filter((x) => x.startsWith(id));
    if (byPrefix.length === 1) return byPrefix[0];
    const near = byPrefix.length > 1 ? byPrefix.slice(0, 5) : nearestIds(id, ids);
    const what = byPrefix.length > 1 ? `run id ${JSON.stringify(id)} is ambiguous` : `unknown run ${JSON.stringify(id)}`;
    throw new InputError('run', `${what}; nearest: ${near.join(', ')} (all runs: 'infermark runs')`);
  }

  /** Imports a JSON Lines results file as a new run; importing the same file twice returns the first run. */
  importJsonlDetailed(path: string): ImportOutcome {
    if (!existsSync(path)) throw new InputError('file', `no such file: ${path}`);
    const bytes = readFileSync(path);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const { results, badLines, firstProblem } = readJsonl(path);
    if (results.length === 0) {
      throw new InputError('file', `${path} has no results (${badLines} unreadable line(s)${firstProblem ? `; ${firstProblem}` : ''}): expected JSON Lines written by 'infermark run --out'`);
    }
    return this.withRetry(() => {
      const existing = this.db.prepare('SELECT id FROM runs WHERE source_sha256 = ?').get(sha) as { id: string } | undefined;
      if (existing) return { runId: existing.id, trials: results.length, badLines, firstProblem, alreadyImported: true };
      const holder = this.runHolding(results);
      if (holder) return { runId: holder, trials: results.length, badLines, firstProblem, alreadyImported: true };
      const first = results.find((r) => r.context)?.context;
      const starts = results.map((r) => r.context?.startedAt).filter((s): s is string => Boolean(s)).sort();
      let runId = '';
      this.db.transaction(() => {
        runId = this.beginRun({ command: `import ${basename(path)}`, toolVersion: first?.toolVersion ?? 'unknown', machine: first?.machine, startedAt: starts[0] });
        this.db.prepare('UPDATE runs SET source_sha256 = ?, ended_at = ? WHERE id = ?').run(sha, starts[starts.length - 1] ?? new Date().toISOString(), runId);
        for (const r of results) this.insertTrial(runId, r);
      }).immediate();
      return { runId, trials: results.length, badLines, firstProblem, alreadyImported: false };
    });
  }

  /**
   * The run that already holds every one of these results (same trial key,
   * same start time): the --out file of a run that was also recorded.
   */
  private runHolding(results: TrialResult[]): string | undefined {
    const starts = results.map((r) => r.context?.startedAt);
    if (starts.some((s) => !s)) return undefined;
    const find = this.db.prepare("SELECT DISTINCT run_id FROM trials WHERE key = ? AND json_extract(result_json, '$.context.startedAt') = ?");
    let runs: Set<string> | undefined;
    for (const [i, r] of results.entries()) {
      const here = new Set((find.all(r.key, starts[i]) as { run_id: string }[]).map((x) => x.run_id));
      runs = runs ? new Set([...runs].filter((x) => here.has(x))) : here;
      if (runs.size === 0) return undefined;
    }
    return runs ? [...runs][0] : undefined;
  }

  importJsonl(path: string): string {
    return this.importJsonlDetailed(path).runId;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens the results database at `path`, or INFERMARK_DB, or the user's data folder. */
export function openStore(path?: string, opts: StoreOptions = {}): Store {
  return Store.open(path ?? defaultDbPath(), opts);
}
