/**
 * What only the PostgreSQL store has to get right (the behaviours both
 * backends share are in store-roundtrip and store-concurrency): a clear line
 * for every way of failing to open it, copying an SQLite history across, and
 * a connection lost mid-run. The server comes from scripts/services.sh
 * (started when not running; under CI=true it must start).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { PgResultsStore } from '../src/store/postgres/pg-store.js';
import { openResultsStore } from '../src/store/open.js';
import { InputError } from '../src/errors/input-error.js';
import { FIXTURE_JSONL, fixtureTrials, tempDir } from './fixtures/fixture.js';
import { freshDb, openDb } from './helpers/store-backends.js';
import { runCli } from './helpers/cli.js';

test('postgres: wrong password, unreachable server, and foreign tables are one clear input error each (a newer schema: store-roundtrip)', async (t) => {
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
  await (await openResultsStore(db)).close();
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
  const direct = await openDb(t, db);
  assert.deepEqual((await direct.getRun(id)).trials, [one, two]);
});
