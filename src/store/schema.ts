/**
 * The results database's schema, as an ordered list of migrations. The file's
 * `PRAGMA user_version` says how many have been applied; `PRAGMA
 * application_id` marks the file as infermark's so we never write into a
 * database that belongs to something else.
 *
 * Never edit a migration that has shipped: add a new one at the end.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { insertDetails, splitResult } from './codec.js';
import type { TrialResult } from '../results/types.js';

/** "INFM" in ASCII: identifies an infermark results database. */
export const APPLICATION_ID = 0x494e464d;

export interface Migration {
  /** Schema version after this migration. */
  version: number;
  description: string;
  up: (db: BetterSqlite3.Database) => void;
}

/** The first schema: whole results as JSON, with the columns we filter on. Kept verbatim for migration tests. */
export const SCHEMA_V1_SQL = `
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
  id INTEGER PRIMARY KEY AUTOINCREMENT,
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
CREATE INDEX trials_by_key ON trials(key);
`;

/**
 * Version 2: raw samples, energy readings and time series get tables of their
 * own (samples as little-endian float64 blobs: exact and compact), so reports
 * can read them without parsing every result; runs remember the file they were
 * imported from, so importing it twice is a no-op.
 */
const SCHEMA_V2_SQL = `
ALTER TABLE runs ADD COLUMN source_sha256 TEXT;
CREATE INDEX runs_by_source ON runs(source_sha256);
CREATE TABLE samples (
  trial_id INTEGER PRIMARY KEY REFERENCES trials(id) ON DELETE CASCADE,
  count INTEGER NOT NULL,
  latency_ms BLOB NOT NULL
);
CREATE TABLE energy_readings (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  source TEXT NOT NULL,
  domain TEXT NOT NULL,
  energy_j REAL NOT NULL,
  dynamic_energy_j REAL,
  estimated INTEGER NOT NULL,
  model_json TEXT,
  PRIMARY KEY (trial_id, idx)
);
CREATE TABLE series (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  t_ms BLOB NOT NULL,
  vals BLOB NOT NULL,
  PRIMARY KEY (trial_id, idx)
);
`;

/** Version 4 (SQLite and PostgreSQL alike): nullable, so older runs and imports simply have no recorder. */
export const RECORDER_COLUMNS_SQL = `
ALTER TABLE runs ADD COLUMN recorder_host TEXT;
ALTER TABLE runs ADD COLUMN recorder_pid INTEGER;
ALTER TABLE runs ADD COLUMN recorder_token TEXT;
`;

/**
 * Version 5: a trial is unique within its run by (key, repetition), as the
 * PostgreSQL store has always had it. Duplicates an older file may hold are
 * resolved the way addTrial now resolves a second write: the first finished
 * (ok or skipped) row stays; when every row failed, the last failed one stays
 * (a failed trial written again is replaced by the newer write).
 */
export const TRIAL_KEY_UNIQUE_SQL = `
DELETE FROM trials WHERE id NOT IN (
  SELECT COALESCE(
    (SELECT MIN(k.id) FROM trials k WHERE k.run_id = g.run_id AND k.key = g.key AND k.repetition = g.repetition AND k.status <> 'failed'),
    MAX(g.id))
  FROM trials g GROUP BY g.run_id, g.key, g.repetition
);
DELETE FROM samples WHERE trial_id NOT IN (SELECT id FROM trials);
DELETE FROM energy_readings WHERE trial_id NOT IN (SELECT id FROM trials);
DELETE FROM series WHERE trial_id NOT IN (SELECT id FROM trials);
CREATE UNIQUE INDEX trials_unique_key ON trials(run_id, key, repetition);
`;

/** Version 3's table, which PostgreSQL's store creates too (with its double-precision REAL). */
export const CONFORMANCE_RESULTS_SQL = `
CREATE TABLE conformance_results (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  runtime TEXT NOT NULL,
  test TEXT NOT NULL,
  operator TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  wall_ms REAL NOT NULL,
  PRIMARY KEY (run_id, seq)
);`;

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'runs and trials, results as JSON',
    up: (db) => db.exec(SCHEMA_V1_SQL),
  },
  {
    version: 2,
    description: 'samples, energy readings and time series in their own tables',
    up: (db) => {
      db.exec(SCHEMA_V2_SQL);
      // Move what version 1 kept inside result_json into the new tables.
      const rows = db.prepare('SELECT id, result_json FROM trials').all() as { id: number; result_json: string }[];
      const rewrite = db.prepare('UPDATE trials SET result_json = ? WHERE id = ?');
      for (const row of rows) {
        const { json, details } = splitResult(JSON.parse(row.result_json) as TrialResult);
        rewrite.run(json, row.id);
        insertDetails(db, row.id, details);
      }
    },
  },
  {
    version: 3,
    description: 'conformance results: one row per runtime and ONNX backend test case, in a run of its own',
    up: (db) => db.exec(CONFORMANCE_RESULTS_SQL),
  },
  {
    version: 4,
    description: 'the process recording a run (host, pid, start token), so a killed run shows as interrupted',
    up: (db) => db.exec(RECORDER_COLUMNS_SQL),
  },
  {
    version: 5,
    description: 'one row per trial key: a trial is unique by (run, key, repetition), as in PostgreSQL',
    up: (db) => db.exec(TRIAL_KEY_UNIQUE_SQL),
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
