/**
 * The PostgreSQL results store's schema: the same tables and columns as the
 * SQLite file (src/store/schema.ts), as ordered migrations. The table
 * infermark_schema says which infermark wrote the database and how many
 * migrations it holds; a database with other tables and no such mark is not
 * ours and is never written to.
 *
 * Never edit a migration that has shipped: add a new one at the end.
 */
import { CONFORMANCE_RESULTS_SQL, RECORDER_COLUMNS_SQL } from '../schema.js';

export interface PgMigration {
  /** Schema version after this migration. */
  version: number;
  description: string;
  sql: string;
}

/** "INFM": the advisory lock that serialises migrations among concurrent openers. */
export const MIGRATION_LOCK = 0x494e464d;

export const PG_MIGRATIONS: PgMigration[] = [
  {
    version: 1,
    description: 'runs and trials, results as JSON',
    sql: `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  command TEXT,
  plan_json TEXT,
  tool_version TEXT NOT NULL,
  machine_json TEXT
);
CREATE TABLE trials (
  id BIGSERIAL PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  key TEXT NOT NULL,
  status TEXT NOT NULL,
  runtime TEXT NOT NULL,
  provider TEXT NOT NULL,
  batch_size INTEGER NOT NULL,
  scenario TEXT NOT NULL,
  model_path TEXT NOT NULL,
  model_sha256 TEXT NOT NULL,
  repetition INTEGER NOT NULL DEFAULT 0,
  result_json TEXT NOT NULL
);
CREATE INDEX trials_by_run ON trials(run_id, seq);
CREATE INDEX trials_by_key ON trials(key);`,
  },
  {
    // Many writers share one PostgreSQL database: a trial is unique within its run.
    version: 2,
    description: 'samples, energy readings and time series in their own tables; one row per trial key',
    sql: `
ALTER TABLE runs ADD COLUMN source_sha256 TEXT;
CREATE INDEX runs_by_source ON runs(source_sha256);
CREATE UNIQUE INDEX trials_unique_key ON trials(run_id, key, repetition);
CREATE TABLE samples (
  trial_id BIGINT PRIMARY KEY REFERENCES trials(id) ON DELETE CASCADE,
  count INTEGER NOT NULL,
  latency_ms BYTEA NOT NULL
);
CREATE TABLE energy_readings (
  trial_id BIGINT NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  source TEXT NOT NULL,
  domain TEXT NOT NULL,
  energy_j DOUBLE PRECISION NOT NULL,
  dynamic_energy_j DOUBLE PRECISION,
  estimated INTEGER NOT NULL,
  model_json TEXT,
  PRIMARY KEY (trial_id, idx)
);
CREATE TABLE series (
  trial_id BIGINT NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  t_ms BYTEA NOT NULL,
  vals BYTEA NOT NULL,
  PRIMARY KEY (trial_id, idx)
);`,
  },
  {
    // A fleet run's Slurm job and which trials each array task holds, for resume, watch and the final accounting.
    version: 3,
    description: 'the Slurm jobs of fleet runs',
    sql: `
CREATE TABLE fleet_jobs (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  job_id TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  total_trials INTEGER NOT NULL,
  shards_json TEXT NOT NULL,
  PRIMARY KEY (run_id, job_id)
);`,
  },
  {
    // The same columns as SQLite's version 4: who records a run, so a killed one shows as interrupted.
    version: 4,
    description: 'the process recording a run (host, pid, start token)',
    sql: RECORDER_COLUMNS_SQL,
  },
  {
    // Numbered as in the SQLite file, where version 4 is the run-status migration and 5 the trial-key index PostgreSQL had from version 2.
    version: 5,
    description: 'conformance results: one row per runtime and ONNX backend test case, in a run of its own',
    // SQLite's REAL is 8 bytes; PostgreSQL's is 4.
    sql: CONFORMANCE_RESULTS_SQL.replace('wall_ms REAL', 'wall_ms DOUBLE PRECISION'),
  },
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;
