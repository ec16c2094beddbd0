/**
 * The results store's round trip on both backends (an SQLite file and a real
 * PostgreSQL server), through the one asynchronous interface every command
 * uses; then what only the SQLite file has: its migrations and the files it
 * refuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../src/store/store.js';
import { MIGRATIONS, SCHEMA_V1_SQL, SCHEMA_VERSION } from '../src/store/schema.js';
import { PG_SCHEMA_VERSION } from '../src/store/postgres/pg-schema.js';
import { openResultsStore } from '../src/store/open.js';
import { InputError } from '../src/errors/input-error.js';
import type { FailedTrial, OkTrial, TrialResult } from '../src/results/types.js';
import { FIXTURE_JSONL, fixtureTrials, tempDir } from './fixtures/fixture.js';
import { BACKENDS, freshDb, openDb, rawDb } from './helpers/store-backends.js';

/** A failed result of the same trial (same key and repetition), as a lost node leaves it. */
function failedTwin(ok: TrialResult, message: string): FailedTrial {
  return {
    status: 'failed', key: ok.key, runtime: ok.runtime, provider: ok.provider, settings: ok.settings, batchSize: ok.batchSize,
    scenario: ok.scenario, formatVersion: ok.formatVersion, model: ok.model, inputShapes: ok.inputShapes, warnings: [],
    error: { kind: 'error', message },
  } as FailedTrial;
}

for (const backend of BACKENDS) {
  test(`${backend}: every trial comes back exactly as it went in; samples live in their own table`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const store = await openDb(t, db);
    const trials = fixtureTrials();
    const id = await store.beginRun({ toolVersion: '0.1.0', command: 'run zoo:resnet-tiny', plan: { batch: [1, 2] }, machine: trials[0].context?.machine });
    assert.match(id, /^\d{8}-\d{6}-[a-z2-9]{4}$/);
    for (const r of trials) await store.addTrial(id, r);
    await store.endRun(id);
    const got = await store.getRun(id);
    assert.deepEqual(got.trials, trials);
    assert.equal(got.run.trialCount, trials.length);
    assert.equal(got.run.failedCount, 1);
    assert.equal(got.run.skippedCount, 1);
    assert.deepEqual(got.run.plan, { batch: [1, 2] });
    assert.ok(got.run.endedAt);
    assert.deepEqual(got.run.runtimes, ['ort-node', 'ort-web', 'tfjs']);
    // The bulky parts really live in their own tables.
    const raw = await rawDb(t, db);
    const [{ n }] = await raw.query<{ n: number }>('SELECT COUNT(*) AS n FROM samples');
    assert.equal(Number(n), trials.filter((r) => r.status === 'ok').length);
    const [row] = await raw.query<{ result_json: string }>('SELECT result_json FROM trials LIMIT 1');
    assert.ok(!row.result_json.includes('samplesMs'));
  });

  test(`${backend}: runs are listed newest first and found by prefix or "latest"; an unknown id lists the nearest`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const store = await openDb(t, db);
    const a = await store.beginRun({ toolVersion: '0.1.0', startedAt: '2025-01-01T00:00:00.000Z' });
    const b = await store.beginRun({ toolVersion: '0.1.0', startedAt: '2025-02-01T00:00:00.000Z' });
    assert.deepEqual((await store.listRuns()).map((r) => r.id), [b, a]);
    assert.equal((await store.getRun('latest')).run.id, b);
    const prefix = a.slice(0, -1);
    if (!b.startsWith(prefix)) assert.equal((await store.getRun(prefix)).run.id, a);
    const typo = `${a.slice(0, -1)}${a.endsWith('z') ? 'y' : 'z'}`;
    await assert.rejects(store.getRun(typo), (e: Error) => e instanceof InputError && e.message.includes('unknown run') && e.message.includes(a));
  });

  test(`${backend}: an empty database says how to fill it`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const store = await openDb(t, db);
    await assert.rejects(store.getRun('latest'), /no runs yet.*infermark import/);
  });

  test(`${backend}: importing a JSON Lines file twice adds it once`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const store = await openDb(t, db);
    const first = await store.importJsonlDetailed(FIXTURE_JSONL);
    assert.equal(first.alreadyImported, false);
    const again = await store.importJsonlDetailed(FIXTURE_JSONL);
    assert.equal(again.alreadyImported, true);
    assert.equal(again.runId, first.runId);
    assert.equal((await store.listRuns()).length, 1);
    const run = await store.getRun(first.runId);
    assert.deepEqual(run.trials, fixtureTrials());
    assert.equal(run.run.startedAt, fixtureTrials()[0].context?.startedAt);
    assert.equal(run.run.command, 'import run-cpu.jsonl');
  });

  test(`${backend}: a trial written twice is one row: a failed one is replaced by its re-run, a finished one is kept`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const store = await openDb(t, db);
    const id = await store.beginRun({ toolVersion: '0.1.0' });
    const ok = fixtureTrials().find((r): r is OkTrial => r.status === 'ok')!;
    await store.addTrial(id, failedTwin(ok, 'node lost'));
    await store.addTrial(id, failedTwin(ok, 'node lost again'));
    assert.match((await store.getRun(id)).trials.map((r) => (r.status === 'failed' ? r.error.message : r.status)).join(), /^node lost again$/);
    await store.addTrial(id, ok);
    await store.addTrial(id, { ...ok, samplesMs: [1] });
    await store.addTrial(id, failedTwin(ok, 'late failure'));
    const run = await store.getRun(id);
    assert.equal(run.trials.length, 1);
    assert.deepEqual(run.trials[0], ok);
    // Another repetition of the same trial is a trial of its own.
    await store.addTrial(id, { ...ok, repetition: 1 });
    assert.equal((await store.getRun(id)).trials.length, 2);
    // The table itself refuses a second row for one (run, key, repetition).
    const raw = await rawDb(t, db);
    await assert.rejects(raw.query(`INSERT INTO trials (run_id, seq, key, status, runtime, provider, batch_size, scenario, model_path, model_sha256, repetition, result_json)
      VALUES (?, 99, ?, 'ok', 'x', 'x', 1, 'single-stream', 'x', 'x', 0, '{}')`, [id, ok.key]), /UNIQUE|unique/);
  });

  test(`${backend}: a database from a newer schema is refused and left untouched`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    await (await openResultsStore(db)).close();
    if (backend === 'sqlite') {
      const raw = new Database(db);
      raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      raw.close();
      const before = readFileSync(db);
      await assert.rejects(openResultsStore(db), (e: Error) => e instanceof InputError && /newer infermark.*upgrade/.test(e.message));
      assert.deepEqual(readFileSync(db), before);
    } else {
      const raw = await rawDb(t, db);
      await raw.query('UPDATE infermark_schema SET version = ?', [PG_SCHEMA_VERSION + 1]);
      await assert.rejects(openResultsStore(db), (e: Error) => e instanceof InputError && /newer infermark.*upgrade/.test(e.message));
      assert.deepEqual(await raw.query('SELECT version FROM infermark_schema'), [{ version: PG_SCHEMA_VERSION + 1 }]);
    }
  });
}

test('postgres: every table of the SQLite schema is there, with the same columns', async (t) => {
  const url = freshDb(t, 'postgres');
  if (!url) return;
  await (await openResultsStore(url)).close();
  const file = join(tempDir(t), 'r.db');
  openStore(file).close();
  const lite = new Database(file, { readonly: true });
  t.after(() => lite.close());
  const liteTables = (lite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  t.after(() => c.end());
  for (const table of liteTables) {
    const liteCols = (lite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((r) => r.name).sort();
    const pgCols = (await c.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [table])).rows.map((r) => r.column_name).sort();
    assert.deepEqual(pgCols, liteCols, table);
  }
});

test('a database in the first schema is migrated and its results read back', (t) => {
  const db = join(tempDir(t), 'v1.db');
  const trials = fixtureTrials();
  const v1 = new Database(db);
  v1.exec(SCHEMA_V1_SQL);
  v1.pragma('application_id = 1229866573');
  v1.pragma('user_version = 1');
  v1.prepare("INSERT INTO runs (id, started_at, tool_version) VALUES ('20250101-000000-abcd', '2025-01-01T00:00:00.000Z', '0.0.9')").run();
  const ins = v1.prepare(`INSERT INTO trials (run_id, seq, key, status, runtime, provider, batch_size, scenario, model_path, model_sha256, repetition, result_json)
    VALUES ('20250101-000000-abcd', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`);
  trials.forEach((r, i) => ins.run(i, r.key, r.status, r.runtime, r.provider, r.batchSize, r.scenario, r.model.path, r.model.sha256, JSON.stringify(r)));
  v1.close();

  const store = openStore(db);
  t.after(() => store.close());
  assert.deepEqual(store.getRun('20250101-000000-abcd').trials, trials);
  const raw = new Database(db, { readonly: true });
  t.after(() => raw.close());
  assert.equal(raw.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.ok((raw.prepare('SELECT COUNT(*) AS n FROM series').get() as { n: number }).n > 0);
});

test('a file that is not infermark\'s is refused and left untouched', (t) => {
  const dir = tempDir(t);
  const text = join(dir, 'notes.db');
  writeFileSync(text, 'these are my notes, not a database\n'.repeat(200));
  const before = readFileSync(text);
  assert.throws(() => openStore(text), (e: Error) => e instanceof InputError && /not an infermark results database/.test(e.message));
  assert.deepEqual(readFileSync(text), before);

  const other = join(dir, 'other.db');
  const o = new Database(other);
  o.exec('CREATE TABLE contacts (name TEXT)');
  o.close();
  const otherBefore = readFileSync(other);
  assert.throws(() => openStore(other), /does not belong to infermark.*contacts/);
  assert.deepEqual(readFileSync(other), otherBefore);
  assert.ok(!existsSync(`${other}-wal`));
});

test('a version-3 file holding duplicate trials is migrated to one row each: the first finished row, else the last failed one', (t) => {
  const db = join(tempDir(t), 'v3.db');
  const v3 = new Database(db);
  for (const m of MIGRATIONS.filter((x) => x.version <= 3)) m.up(v3);
  v3.pragma('application_id = 1229866573');
  v3.pragma('user_version = 3');
  const run = '20250101-000000-abcd';
  v3.prepare("INSERT INTO runs (id, started_at, tool_version) VALUES (?, '2025-01-01T00:00:00.000Z', '0.0.9')").run(run);
  const ok = fixtureTrials().find((r): r is OkTrial => r.status === 'ok')!;
  const ins = v3.prepare(`INSERT INTO trials (run_id, seq, key, status, runtime, provider, batch_size, scenario, model_path, model_sha256, repetition, result_json)
    VALUES (?, ?, ?, ?, 'ort-node', 'cpu', 1, 'single-stream', 'm.onnx', 'abc', ?, ?)`);
  const rows: [string, TrialResult, number][] = [
    ['a', failedTwin(ok, 'a: lost'), 0], ['a', { ...ok, key: 'a', samplesMs: [1] }, 0], ['a', { ...ok, key: 'a', samplesMs: [2] }, 0],
    ['b', failedTwin(ok, 'b: first failure'), 0], ['b', failedTwin(ok, 'b: second failure'), 0],
    ['b', { ...ok, key: 'b', samplesMs: [3], repetition: 1 }, 1],
  ];
  const ids = rows.map(([key, r, rep], seq) => Number(ins.run(run, seq, key, r.status, rep, JSON.stringify({ ...r, key, samplesMs: undefined })).lastInsertRowid));
  // Samples of the rows that go must go with them.
  rows.forEach(([, r], i) => { if (r.status === 'ok') v3.prepare('INSERT INTO samples (trial_id, count, latency_ms) VALUES (?, 1, ?)').run(ids[i], Buffer.from(new Float64Array(r.samplesMs).buffer)); });
  v3.close();

  const store = openStore(db);
  t.after(() => store.close());
  const got = store.getRun(run).trials.map((r) => [r.key, r.repetition ?? 0, r.status === 'ok' ? r.samplesMs : r.status === 'failed' ? r.error.message : r.status]);
  assert.deepEqual(got, [['a', 0, [1]], ['b', 0, 'b: second failure'], ['b', 1, [3]]]);
  const raw = new Database(db, { readonly: true });
  t.after(() => raw.close());
  assert.equal(raw.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.deepEqual(raw.prepare('SELECT trial_id FROM samples ORDER BY trial_id').all(), [{ trial_id: ids[1] }, { trial_id: ids[5] }]);
});

test('commands that only read do not create a database', (t) => {
  const db = join(tempDir(t), 'missing.db');
  assert.throws(() => openStore(db, { mustExist: true }), /no results database/);
  assert.ok(!existsSync(db));
});
