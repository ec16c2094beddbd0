import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../src/store/store.js';
import { SCHEMA_V1_SQL, SCHEMA_VERSION } from '../src/store/schema.js';
import { InputError } from '../src/errors/input-error.js';
import { FIXTURE_JSONL, fixtureTrials, tempDir } from './fixtures/fixture.js';

test('every trial comes back exactly as it went in', (t) => {
  const db = join(tempDir(t), 'r.db');
  const trials = fixtureTrials();
  const store = openStore(db);
  t.after(() => store.close());
  const id = store.beginRun({ toolVersion: '0.1.0', command: 'run zoo:resnet-tiny', plan: { batch: [1, 2] }, machine: trials[0].context?.machine });
  assert.match(id, /^\d{8}-\d{6}-[a-z2-9]{4}$/);
  for (const r of trials) store.addTrial(id, r);
  store.endRun(id);
  const got = store.getRun(id);
  assert.deepEqual(got.trials, trials);
  assert.equal(got.run.trialCount, trials.length);
  assert.equal(got.run.failedCount, 1);
  assert.equal(got.run.skippedCount, 1);
  assert.deepEqual(got.run.plan, { batch: [1, 2] });
  assert.ok(got.run.endedAt);
  assert.deepEqual(got.run.runtimes, ['ort-node', 'ort-web', 'tfjs']);
  // The bulky parts really live in their own tables.
  const raw = new Database(db, { readonly: true });
  t.after(() => raw.close());
  assert.equal((raw.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n, trials.filter((r) => r.status === 'ok').length);
  assert.ok(!(raw.prepare('SELECT result_json FROM trials LIMIT 1').get() as { result_json: string }).result_json.includes('samplesMs'));
});

test('runs are listed newest first and found by prefix or "latest"', (t) => {
  const store = openStore(join(tempDir(t), 'r.db'));
  t.after(() => store.close());
  const a = store.beginRun({ toolVersion: '0.1.0', startedAt: '2025-01-01T00:00:00.000Z' });
  const b = store.beginRun({ toolVersion: '0.1.0', startedAt: '2025-02-01T00:00:00.000Z' });
  assert.deepEqual(store.listRuns().map((r) => r.id), [b, a]);
  assert.equal(store.getRun('latest').run.id, b);
  const prefix = a.slice(0, -1);
  if (!b.startsWith(prefix)) assert.equal(store.getRun(prefix).run.id, a);
});

test('an unknown run id lists the nearest ones', (t) => {
  const store = openStore(join(tempDir(t), 'r.db'));
  t.after(() => store.close());
  const id = store.beginRun({ toolVersion: '0.1.0' });
  const typo = `${id.slice(0, -1)}${id.endsWith('z') ? 'y' : 'z'}`;
  assert.throws(() => store.getRun(typo), (e: Error) => e instanceof InputError && e.message.includes('unknown run') && e.message.includes(id));
});

test('an empty database says how to fill it', (t) => {
  const store = openStore(join(tempDir(t), 'r.db'));
  t.after(() => store.close());
  assert.throws(() => store.getRun('latest'), /no runs yet.*infermark import/);
});

test('importing a JSON Lines file twice adds it once', (t) => {
  const store = openStore(join(tempDir(t), 'r.db'));
  t.after(() => store.close());
  const first = store.importJsonlDetailed(FIXTURE_JSONL);
  assert.equal(first.alreadyImported, false);
  const again = store.importJsonlDetailed(FIXTURE_JSONL);
  assert.equal(again.alreadyImported, true);
  assert.equal(again.runId, first.runId);
  assert.equal(store.listRuns().length, 1);
  const run = store.getRun(first.runId);
  assert.deepEqual(run.trials, fixtureTrials());
  assert.equal(run.run.startedAt, fixtureTrials()[0].context?.startedAt);
  assert.equal(run.run.command, 'import run-cpu.jsonl');
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

test('a database from a newer schema is refused and left untouched', (t) => {
  const db = join(tempDir(t), 'new.db');
  openStore(db).close();
  const raw = new Database(db);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  raw.close();
  const before = readFileSync(db);
  assert.throws(() => openStore(db), /newer infermark.*upgrade/);
  assert.deepEqual(readFileSync(db), before);
});

test('commands that only read do not create a database', (t) => {
  const db = join(tempDir(t), 'missing.db');
  assert.throws(() => openStore(db, { mustExist: true }), /no results database/);
  assert.ok(!existsSync(db));
});
