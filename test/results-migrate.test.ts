/**
 * Results written by format version 1 (scenario figures, agreement and
 * efficiency in an untyped `extra` bag) are read as version 2: from a JSON
 * Lines file (store import, --resume) and from a row of an older database.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { migrateResult } from '../src/results/migrate.js';
import { RESULTS_FORMAT_VERSION, type TrialResult } from '../src/results/types.js';
import { openStore } from '../src/store/store.js';
import { tempDir } from './fixtures/fixture.js';

const V1_JSONL = fileURLToPath(new URL('../../test/fixtures/format-v1.jsonl', import.meta.url));
const v1Lines = () => readFileSync(V1_JSONL, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);

function assertMigrated(results: TrialResult[]): void {
  const [plain, offline, server, ensemble, failed] = results;
  for (const r of results) {
    assert.equal(r.formatVersion, RESULTS_FORMAT_VERSION);
    assert.equal('extra' in r, false, 'no untyped bag is left');
  }
  assert.equal(plain.status, 'ok');
  if (plain.status !== 'ok') return;
  assert.equal(plain.loadKind, 'warm');
  assert.equal(plain.probeOverheadMs, 1.25);
  assert.equal(plain.agreement?.withinTolerance, true);
  assert.equal(plain.efficiency?.achievedGflops, 1.5);
  assert.equal(plain.figures, undefined);
  assert.equal(offline.scenario, 'offline');
  if (offline.scenario === 'offline') assert.equal(offline.figures?.stoppedBecause, 'plateau');
  assert.equal(server.scenario, 'server');
  if (server.scenario === 'server') assert.equal(server.figures?.attempts[0].p99Ms, 40);
  assert.equal(ensemble.scenario, 'ensemble');
  if (ensemble.scenario === 'ensemble') assert.deepEqual(ensemble.figures?.prediction, { error: 'no outputs' });
  assert.equal(failed.status, 'failed');
  assert.match(failed.agreement?.error ?? '', /could not run/);
}

test('migrateResult turns version-1 records into version 2 and leaves version 2 unchanged', () => {
  const migrated = v1Lines().map(migrateResult);
  assertMigrated(migrated);
  for (const r of migrated) assert.deepEqual(migrateResult(JSON.parse(JSON.stringify(r))), r);
});

test('a version-1 JSON Lines file imported into the store reads back as version 2', (t) => {
  const store = openStore(join(tempDir(t), 'r.db'));
  t.after(() => store.close());
  const id = store.importJsonl(V1_JSONL);
  assertMigrated(store.getRun(id).trials);
});

test('a version-1 row already in a database reads back as version 2', (t) => {
  const path = join(tempDir(t), 'r.db');
  const store = openStore(path);
  const id = store.beginRun({ toolVersion: '0.1.0', command: 'run' });
  store.close();
  // Write the rows as the previous version did: the record's JSON as it was, `extra` and all.
  const db = new Database(path);
  v1Lines().forEach((r, seq) => {
    const model = r.model as { path: string; sha256: string };
    db.prepare(`INSERT INTO trials (run_id, seq, key, status, runtime, provider, batch_size, scenario, model_path, model_sha256, repetition, result_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`).run(id, seq, r.key, r.status, r.runtime, r.provider, r.batchSize, r.scenario, model.path, model.sha256, JSON.stringify(r));
  });
  db.close();
  const reopened = openStore(path);
  t.after(() => reopened.close());
  const trials = reopened.getRun(id).trials;
  assertMigrated(trials);
  // Samples stored inline in the old JSON come back.
  assert.deepEqual(trials[0].status === 'ok' && trials[0].samplesMs, v1Lines()[0].samplesMs);
});
