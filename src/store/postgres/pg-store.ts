/**
 * The results store on a PostgreSQL server: the store many machines share.
 * Every trial is written in its own transaction the moment it exists; a
 * trial is unique by (run, key, repetition), so a writer that retries (or two
 * that race) never duplicates one. Lost connections are retried with backoff.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import pg from 'pg';
import { InputError } from '../../errors/input-error.js';
import { readJsonl } from '../../results/jsonl.js';
import type { TrialResult } from '../../results/types.js';
import { splitResult } from '../codec.js';
import { nearestIds, newRunId } from '../run-id.js';
import { redactUrl, type ResultsStore } from '../results-store.js';
import type { ImportOutcome } from '../store.js';
import type { RunMeta, RunSummary, StoredConformanceCase, StoredRun } from '../types.js';
import { recorderFromColumns, runState, type RecorderMark } from '../recorder.js';

import { connectFailure, isTransient, StoreUnavailableError } from './pg-errors.js';
import { migrate } from './pg-migrate.js';
import { insertDetailsPg, joinResultPg } from './pg-codec.js';
import { CONFORMANCE_COLUMNS, conformanceCase, type ConformanceRow } from '../conformance-row.js';

type Queryable = pg.Pool | pg.PoolClient;

/** One Slurm job array submitted for a run (a resume adds another). */
export interface FleetJob {
  runId: string;
  jobId: string;
  /** ISO 8601. */
  submittedAt: string;
  /** Trials in the whole plan. */
  totalTrials: number;
  /** Trial numbers per array task. */
  shards: number[][];
}

export interface PgStoreOptions {
  /** Tries for one operation when the connection is lost (then the error is thrown). */
  retries?: number;
  /** First wait between tries; doubles each time. */
  backoffMs?: number;
}

interface RunRow {
  id: string; started_at: string; ended_at: string | null; command: string | null; plan_json: string | null;
  tool_version: string; machine_json: string | null;
  recorder_host?: string | null; recorder_pid?: number | null; recorder_token?: string | null;
  trial_count: number; ok_count: number; failed_count: number; skipped_count: number;
  models: string[] | null; runtimes: string[] | null;
}

const RUNS_SQL = `
SELECT r.*,
  (SELECT COUNT(*)::int FROM trials t WHERE t.run_id = r.id) AS trial_count,
  (SELECT COUNT(*)::int FROM trials t WHERE t.run_id = r.id AND t.status = 'ok') AS ok_count,
  (SELECT COUNT(*)::int FROM trials t WHERE t.run_id = r.id AND t.status = 'failed') AS failed_count,
  (SELECT COUNT(*)::int FROM trials t WHERE t.run_id = r.id AND t.status = 'skipped') AS skipped_count,
  (SELECT json_agg(DISTINCT model_path) FROM trials t WHERE t.run_id = r.id) AS models,
  (SELECT json_agg(DISTINCT runtime) FROM trials t WHERE t.run_id = r.id) AS runtimes
FROM runs r`;

const NEWEST_FIRST = 'ORDER BY r.started_at COLLATE "C" DESC, r.id COLLATE "C" DESC';

function toSummary(row: RunRow): RunSummary {
  const s: RunSummary = {
    id: row.id, startedAt: row.started_at, toolVersion: row.tool_version,
    trialCount: row.trial_count, okCount: row.ok_count, failedCount: row.failed_count, skippedCount: row.skipped_count,
    models: (row.models ?? []).sort(), runtimes: (row.runtimes ?? []).sort(), state: 'unknown',
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PgResultsStore implements ResultsStore {
  private constructor(readonly location: string, private readonly pool: pg.Pool, private readonly retries: number, private readonly backoffMs: number) {}

  /** Connects, checks the database is ours (or empty) and migrates it; every failure is one line naming --db. */
  static async connect(url: string, opts: PgStoreOptions = {}): Promise<PgResultsStore> {
    const where = redactUrl(url);
    const pool = new pg.Pool({ connectionString: url, max: 3, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 5_000 });
    // An idle client losing its server must not crash the process: the next query reconnects.
    pool.on('error', () => undefined);
    const store = new PgResultsStore(where, pool, opts.retries ?? 5, opts.backoffMs ?? 250);
    try {
      const client = await pool.connect();
      try {
        await migrate(client, where);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      if (err instanceof InputError) throw err;
      throw connectFailure(where, err);
    }
    return store;
  }

  /** Retries an operation whose connection was lost, doubling the wait each time. */
  private async withRetry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!isTransient(err)) throw err;
        if (attempt >= this.retries) {
          throw new StoreUnavailableError(`lost the results database at ${this.location} and ${attempt + 1} tries failed: ${(err as Error).message}`);
        }
        await sleep(this.backoffMs * 2 ** attempt);
      }
    }
  }

  private async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    return this.withRetry(async () => {
      const client = await this.pool.connect();
      // A connection dropped while checked out is reported here as a failed query, not as a crash.
      const ignore = () => undefined;
      client.on('error', ignore);
      let broken: Error | undefined;
      try {
        await client.query(begin);
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        if (isTransient(err)) broken = err as Error;
        else await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.off('error', ignore);
        // A broken connection is thrown away, not handed to the next caller.
        client.release(broken);
      }
    });
  }

  private async insertRun(q: Queryable, meta: RunMeta): Promise<string> {
    for (;;) {
      const id = newRunId();
      const res = await q.query(`INSERT INTO runs (id, started_at, command, plan_json, tool_version, machine_json, recorder_host, recorder_pid, recorder_token)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
      [id, meta.startedAt ?? new Date().toISOString(), meta.command ?? null,
        meta.plan === undefined ? null : JSON.stringify(meta.plan), meta.toolVersion,
        meta.machine === undefined ? null : JSON.stringify(meta.machine),
        meta.recorder?.host ?? null, meta.recorder?.pid ?? null, meta.recorder?.token ?? null]);
      // Two runs in the same second with the same suffix: draw again.
      if (res.rowCount === 1) return id;
    }
  }

  claimRun(runId: string, recorder: RecorderMark): Promise<void> {
    return this.withRetry(async () => {
      await this.pool.query('UPDATE runs SET recorder_host = $1, recorder_pid = $2, recorder_token = $3 WHERE id = $4', [recorder.host, recorder.pid, recorder.token, runId]);
    });
  }

  beginRun(meta: RunMeta): Promise<string> {
    return this.withRetry(() => this.insertRun(this.pool, meta));
  }

  addTrial(runId: string, result: TrialResult): Promise<void> {
    return this.transaction((c) => this.insertTrial(c, runId, result));
  }

  private async insertTrial(c: pg.PoolClient, runId: string, result: TrialResult): Promise<void> {
    const { json, details } = splitResult(result);
    // Locking the run row orders concurrent writers of one run, so seq stays dense.
    const run = await c.query('SELECT id FROM runs WHERE id = $1 FOR UPDATE', [runId]);
    if (run.rowCount === 0) throw new InputError('run', `no run ${runId} in ${this.location}`);
    const repetition = result.repetition ?? 0;
    const existing = await c.query<{ id: string; status: string }>('SELECT id, status FROM trials WHERE run_id = $1 AND key = $2 AND repetition = $3',
      [runId, result.key, repetition]);
    const fields = [result.status, result.runtime, result.provider, result.batchSize, result.scenario, result.model.path, result.model.sha256, json];
    let trialId: string;
    if (existing.rowCount) {
      const row = existing.rows[0];
      // A finished trial stays; a failed one (a lost node, say) is replaced by its re-run.
      if (row.status !== 'failed') return;
      trialId = row.id;
      await c.query(`UPDATE trials SET status = $1, runtime = $2, provider = $3, batch_size = $4, scenario = $5, model_path = $6,
        model_sha256 = $7, result_json = $8 WHERE id = $9`, [...fields, trialId]);
      for (const table of ['samples', 'energy_readings', 'series']) await c.query(`DELETE FROM ${table} WHERE trial_id = $1`, [trialId]);
    } else {
      const ins = await c.query<{ id: string }>(`INSERT INTO trials (run_id, seq, key, repetition, status, runtime, provider, batch_size, scenario, model_path, model_sha256, result_json)
        VALUES ($1, (SELECT COALESCE(MAX(seq), -1) + 1 FROM trials WHERE run_id = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [runId, result.key, repetition, ...fields]);
      trialId = ins.rows[0].id;
    }
    await insertDetailsPg(c, trialId, details);
  }

  addConformanceResults(runId: string, cases: StoredConformanceCase[]): Promise<void> {
    return this.transaction((c) => this.insertConformance(c, runId, cases));
  }

  private async insertConformance(c: pg.PoolClient, runId: string, cases: StoredConformanceCase[]): Promise<void> {
    // Locking the run row orders concurrent writers of one run, so seq stays dense.
    const run = await c.query('SELECT id FROM runs WHERE id = $1 FOR UPDATE', [runId]);
    if (run.rowCount === 0) throw new InputError('run', `no run ${runId} in ${this.location}`);
    const next = (await c.query<{ n: number }>('SELECT COALESCE(MAX(seq), -1)::int + 1 AS n FROM conformance_results WHERE run_id = $1', [runId])).rows[0].n;
    for (const [i, k] of cases.entries()) {
      await c.query(`INSERT INTO conformance_results (run_id, seq, runtime, test, operator, status, reason, wall_ms)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [runId, next + i, k.runtime, k.test, k.operator, k.status, k.reason ?? null, k.wallMs]);
    }
  }

  endRun(runId: string): Promise<void> {
    return this.withRetry(async () => { await this.pool.query('UPDATE runs SET ended_at = $1 WHERE id = $2', [new Date().toISOString(), runId]); });
  }

  async findUnfinishedRun(first: TrialResult | undefined, sameCommand: (command: string) => boolean): Promise<string | undefined> {
    const open = (await this.listRuns()).filter((r) => !r.endedAt);
    if (!first) return open.find((r) => r.command !== undefined && sameCommand(r.command))?.id;
    for (const run of open) {
      const { trials } = await this.getRun(run.id);
      const same = trials.find((t) => t.key === first.key && (t.repetition ?? 0) === (first.repetition ?? 0) && t.context?.startedAt === first.context?.startedAt);
      if (same) return run.id;
    }
    return undefined;
  }

  listRuns(): Promise<RunSummary[]> {
    return this.withRetry(async () => (await this.pool.query<RunRow>(`${RUNS_SQL} ${NEWEST_FIRST}`)).rows.map(toSummary));
  }

  getRun(id: string): Promise<StoredRun> {
    // One snapshot, so the trials match the summary even while nodes append.
    return this.transaction(async (c) => {
      const runId = await this.resolveRunId(c, id);
      const row = (await c.query<RunRow>(`${RUNS_SQL} WHERE r.id = $1`, [runId])).rows[0];
      const rows = (await c.query<{ id: string; result_json: string }>('SELECT id, result_json FROM trials WHERE run_id = $1 ORDER BY seq, id', [runId])).rows;
      const trials: TrialResult[] = [];
      for (const r of rows) trials.push(await joinResultPg(c, r.id, r.result_json));
      const cases = (await c.query<ConformanceRow>(`SELECT ${CONFORMANCE_COLUMNS} FROM conformance_results WHERE run_id = $1 ORDER BY seq`, [runId])).rows;
      const conformance = cases.map(conformanceCase);
      return { run: toSummary(row), trials, ...(conformance.length ? { conformance } : {}) };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  private async resolveRunId(c: Queryable, id: string): Promise<string> {
    const ids = (await c.query<{ id: string }>(`SELECT id FROM runs r ${NEWEST_FIRST}`)).rows.map((r) => r.id);
    if (ids.length === 0) {
      throw new InputError('run', `the results database ${this.location} has no runs yet: run 'infermark run MODEL --db ${this.location}' or 'infermark import FILE.jsonl' first`);
    }
    if (id === 'latest') return ids[0];
    if (ids.includes(id)) return id;
    const byPrefix = ids.filter((x) => x.startsWith(id));
    if (byPrefix.length === 1) return byPrefix[0];
    const near = byPrefix.length > 1 ? byPrefix.slice(0, 5) : nearestIds(id, ids);
    const what = byPrefix.length > 1 ? `run id ${JSON.stringify(id)} is ambiguous` : `unknown run ${JSON.stringify(id)}`;
    throw new InputError('run', `${what}; nearest: ${near.join(', ')} (all runs: 'infermark runs')`);
  }

  async importJsonlDetailed(path: string): Promise<ImportOutcome> {
    if (!existsSync(path)) throw new InputError('file', `no such file: ${path}`);
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    const { results, badLines, firstProblem } = readJsonl(path);
    if (results.length === 0) {
      throw new InputError('file', `${path} has no results (${badLines} unreadable line(s)${firstProblem ? `; ${firstProblem}` : ''}): expected JSON Lines written by 'infermark run --out'`);
    }
    const first = results.find((r) => r.context)?.context;
    const starts = results.map((r) => r.context?.startedAt).filter((s): s is string => Boolean(s)).sort();
    return this.transaction(async (c) => {
      // One importer of a given file at a time, so two racing imports add it once.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [sha]);
      const existing = await c.query<{ id: string }>('SELECT id FROM runs WHERE source_sha256 = $1', [sha]);
      if (existing.rowCount) return { runId: existing.rows[0].id, trials: results.length, badLines, firstProblem, alreadyImported: true };
      const runId = await this.insertRun(c, { command: `import ${basename(path)}`, toolVersion: first?.toolVersion ?? 'unknown', machine: first?.machine, startedAt: starts[0] });
      await c.query('UPDATE runs SET source_sha256 = $1, ended_at = $2 WHERE id = $3', [sha, starts[starts.length - 1] ?? new Date().toISOString(), runId]);
      for (const r of results) await this.insertTrial(c, runId, r);
      return { runId, trials: results.length, badLines, firstProblem, alreadyImported: false };
    });
  }

  /**
   * Adds a run from another store under its own id, with every trial, in one
   * transaction. Returns false (and adds nothing) when that id is already here,
   * so copying the same history twice is harmless.
   */
  copyRun(stored: StoredRun): Promise<boolean> {
    const { run, trials } = stored;
    return this.transaction(async (c) => {
      const res = await c.query(`INSERT INTO runs (id, started_at, ended_at, command, plan_json, tool_version, machine_json)
        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [run.id, run.startedAt, run.endedAt ?? null, run.command ?? null, run.plan === undefined ? null : JSON.stringify(run.plan),
        run.toolVersion, run.machine === undefined ? null : JSON.stringify(run.machine)]);
      if (res.rowCount !== 1) return false;
      for (const t of trials) await this.insertTrial(c, run.id, t);
      if (stored.conformance?.length) await this.insertConformance(c, run.id, stored.conformance);
      return true;
    });
  }

  /** Remembers the Slurm job that runs (part of) a run, and which trial numbers each of its tasks holds. */
  async addFleetJob(job: FleetJob): Promise<void> {
    await this.withRetry(() => this.pool.query('INSERT INTO fleet_jobs (run_id, job_id, submitted_at, total_trials, shards_json) VALUES ($1, $2, $3, $4, $5)',
      [job.runId, job.jobId, job.submittedAt, job.totalTrials, JSON.stringify(job.shards)]));
  }

  /** The run's Slurm jobs, oldest first. */
  async fleetJobs(runId: string): Promise<FleetJob[]> {
    const rows = (await this.withRetry(() => this.pool.query<{ run_id: string; job_id: string; submitted_at: string; total_trials: number; shards_json: string }>(
      'SELECT * FROM fleet_jobs WHERE run_id = $1 ORDER BY submitted_at COLLATE "C"', [runId]))).rows;
    return rows.map((r) => ({ runId: r.run_id, jobId: r.job_id, submittedAt: r.submitted_at, totalTrials: r.total_trials, shards: JSON.parse(r.shards_json) as number[][] }));
  }

  /** Which trials of a run are in, by status: a cheap poll while nodes write. */
  async trialStatuses(runId: string): Promise<{ key: string; repetition: number; status: string }[]> {
    return (await this.withRetry(() => this.pool.query<{ key: string; repetition: number; status: string }>('SELECT key, repetition, status FROM trials WHERE run_id = $1', [runId]))).rows;
  }

  /** Resolves a run id, prefix or "latest". */
  resolveRun(id: string): Promise<string> {
    return this.withRetry(() => this.resolveRunId(this.pool, id));
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
