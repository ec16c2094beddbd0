/**
 * The results store's behaviour on both backends through the one async
 * interface: the SQLite file and a real PostgreSQL server (started by
 * scripts/services.sh when not running; under CI=true it must start).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { PgResultsStore } from '../src/store/postgres/pg-store.js';
import { openResultsStore } from '../src/store/open.js';
import type { ResultsStore } from '../src/store/results-store.js';
import { InputError } from '../src/errors/input-error.js';
import { PG_SCHEMA_VERSION } from '../src/store/postgres/pg-schema.js';
import { FIXTURE_JSONL, fixtureTrials, tempDir } from './fixtures/fixture.js';
import { freshDb } from './helpers/services.js';
import { runCli } from './helpers/cli.js';

const OPEN_JS = fileURLToPath(new URL('../src/store/open.js', import.meta.url));


async function open(t: TestContext, db: string): Promise<ResultsStore> {
  const store = await openResultsStore(db);
  t.after(() => store.close());
  return store;
}

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`${backend}: every trial comes back exactly as it went in`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const store = await open(t, db);
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
  });

  test(`${backend}: runs are listed newest first and found by prefix, "latest", or the nearest ids`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const store = await open(t, db);
    await assert.rejects(store.getRun('latest'), /no runs yet/);
    const a = await store.beginRun({ toolVersion: '0.1.0', startedAt: '2025-01-01T00:00:00.000Z' });
    const b = await store.beginRun({ toolVersion: '0.1.0', startedAt: '2025-02-01T00:00:00.000Z' });
    assert.deepEqual((await store.listRuns()).map((r) => r.id), [b, a]);
    assert.equal((await store.getRun('latest')).run.id, b);
    const typo = `${a.slice(0, -1)}${a.endsWith('z') ? 'y' : 'z'}`;
    await assert.rejects(store.getRun(typo), (e: Error) => e instanceof InputError && e.message.includes('unknown run') && e.message.includes(a));
  });

  test(`${backend}: importing a JSON Lines file twice adds it once`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const store = await open(t, db);
    const first = await store.importJsonlDetailed(FIXTURE_JSONL);
    assert.equal(first.alreadyImported, false);
    const again = await store.importJsonlDetailed(FIXTURE_JSONL);
    assert.equal(again.alreadyImported, true);
    assert.equal(again.runId, first.runId);
    assert.equal((await store.listRuns()).length, 1);
    const run = await store.getRun(first.runId);
    assert.deepEqual(run.trials, fixtureTrials());
    assert.equal(run.run.command, 'import run-cpu.jsonl');
  });
}

test('postgres: writers in several processes at once neither duplicate nor lose a trial', async (t) => {
  const db = freshDb(t, 'postgres');
  if (!db) return;
  const store = await open(t, db);
  const id = await store.beginRun({ toolVersion: '0.1.0' });
  const count = 40;
  // Three writers each write every trial (as retried or racing shard tasks would).
  const script = `
    const { openResultsStore } = await import(${JSON.stringify(OPEN_JS)});
    const trial = JSON.parse(process.argv[1]);
    const s = await openResultsStore(${JSON.stringify(db)});
    for (let i = 0; i < ${count}; i++) await s.addTrial(${JSON.stringify(id)}, { ...trial, key: 'k' + ((i * 7 + Number(process.argv[2])) % ${count}) });
    await s.close();`;
  const writers = [0, 1, 2].map((n) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(fixtureTrials()[0]), String(n)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    return new Promise<string>((res) => child.on('exit', (code) => res(`${code} ${stderr}`)));
  });
  assert.deepEqual(await Promise.all(writers), ['0 ', '0 ', '0 ']);
  const run = await store.getRun(id);
  assert.equal(run.trials.length, count);
  assert.equal(new Set(run.trials.map((r) => r.key)).size, count);
  assert.ok(run.trials.every((r) => r.status === 'ok' && r.samplesMs.length > 0));
});

test('postgres: a failed trial written again is replaced; a finished one is kept', async (t) => {
  const db = freshDb(t, 'postgres');
  if (!db) return;
  const store = await open(t, db);
  const id = await store.beginRun({ toolVersion: '0.1.0' });
  const ok = fixtureTrials().find((r) => r.status === 'ok')!;
  await store.addTrial(id, { status: 'failed', key: ok.key, runtime: ok.runtime, provider: ok.provider, settings: ok.settings, batchSize: ok.batchSize, scenario: ok.scenario, model: ok.model, inputShapes: ok.inputShapes, error: { kind: 'error', message: 'node lost' }, warnings: [] } as never);
  await store.addTrial(id, ok);
  await store.addTrial(id, { ...ok, samplesMs: [1] } as never);
  const run = await store.getRun(id);
  assert.equal(run.trials.length, 1);
  assert.deepEqual(run.trials[0], ok);
});

test('postgres: wrong password, unreachable server, foreign tables and a newer schema are one clear input error each', async (t) => {
  const db = freshDb(t, 'postgres');
  if (!db) return;
  const wrong = db.replace(/:[^:@/]+@/, ':not-the-password@');
  await assert.rejects(openResultsStore(wrong), (e: Error) => e instanceof InputError && /refused the login.*password/.test(e.message) && !e.message.includes('not-the-password'));
  await assert.rejects(openResultsStore('postgres://u:p@127.0.0.1:1/x'), (e: Error) => e instanceof InputError && /cannot reach PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x \(ECONNREFUSED\)/.test(e.message));

  const raw = new pg.Client({ connectionString: db });
  await raw.connect();
  t.after(() => raw.end());
  await raw.query('CREATE TABLE runs (name TEXT)');
  await assert.rejects(openResultsStore(db), /already has tables \(runs\) that infermark did not create/);
  await raw.query('DROP TABLE runs');
  (await openResultsStore(db)).close();
  await raw.query('UPDATE infermark_schema SET version = $1', [PG_SCHEMA_VERSION + 1]);
  await assert.rejects(openResultsStore(db), (e: Error) => e instanceof InputError && /newer infermark/.test(e.message));
});

test('postgres: db copy moves an SQLite history across once; runs, export and compare read it by URL', async (t) => {
  const db = freshDb(t, 'postgres');
  if (!db) return;
  const file = join(tempDir(t), 'history.db');
  assert.equal(runCli(['import', FIXTURE_JSONL, '--db', file]).code, 0);
  const copied = runCli(['db', 'copy', file, db]);
  assert.equal(copied.code, 0, copied.stderr);
  assert.match(copied.stdout, /^copied 1 run\(s\), \d+ trial\(s\) from .*history\.db to postgres:\/\/infermark:\*\*\*@.*; 0 already there\n$/);
  assert.match(runCli(['db', 'copy', file, db]).stdout, /^copied 0 run\(s\), 0 trial\(s\).*; 1 already there\n$/);
  const listed = runCli(['runs', '--json', '--db', db]);
  assert.equal(listed.code, 0, listed.stderr);
  const [run] = JSON.parse(listed.stdout) as { id: string }[];
  const fromFile = runCli(['export', 'latest', '--format', 'jsonl', '--db', file]).stdout;
  assert.equal(runCli(['export', run.id, '--format', 'jsonl', '--db', db]).stdout, fromFile);
  const compared = runCli(['compare', run.id, run.id, '--db', db]);
  assert.equal(compared.code, 0, compared.stderr);
});

/** A TCP relay to the PostgreSQL server that a test can cut and restore, as a flaky network would. */
async function relay(target: URL): Promise<{ url: string; cut: () => Promise<void>; restore: () => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => { client.destroy(); upstream.destroy(); });
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  const url = new URL(target.href);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  const stop = () => new Promise<void>((res) => { for (const s of sockets) s.destroy(); server.close(() => res()); });
  return {
    url: url.href,
    cut: stop,
    restore: () => new Promise<void>((res) => server.listen(port, '127.0.0.1', res)),
    close: stop,
  };
}

test('postgres: a lost connection is retried with backoff; one lost for good is a clear error, and nothing is half-written', async (t) => {
  const db = freshDb(t, 'postgres');
  if (!db) return;
  const net = await relay(new URL(db));
  t.after(() => net.close());
  const store = await PgResultsStore.connect(net.url, { retries: 4, backoffMs: 100 });
  t.after(() => store.close());
  const id = await store.beginRun({ toolVersion: '0.1.0' });
  const [one, two, three] = fixtureTrials();
  await store.addTrial(id, one);
  await net.cut();
  setTimeout(() => void net.restore(), 400); // back before the tries (100 + 200 + 400 + 800 ms) run out
  await store.addTrial(id, two);
  await net.cut();
  await assert.rejects(store.addTrial(id, three), (e: Error) => e instanceof InputError && /lost the results database at postgres:\/\/infermark:\*\*\*@127\.0\.0\.1:\d+\/\S+ and 5 tries failed/.test(e.message));
  const direct = await open(t, db);
  assert.deepEqual((await direct.getRun(id)).trials, [one, two]);
});
