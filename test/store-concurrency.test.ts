/**
 * Readers and writers at once, on both backends (an SQLite file and a real
 * PostgreSQL server): a reader sees only committed trials, a summary always
 * matches its trials, and writers in several processes never duplicate or
 * lose a trial. Then SQLite's own case: a lock held too long names its holder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, StoreLockedError } from '../src/store/store.js';
import { fixtureTrials, tempDir } from './fixtures/fixture.js';
import { BACKENDS, freshDb, openDb, rawDb } from './helpers/store-backends.js';

const OPEN_JS = fileURLToPath(new URL('../src/store/open.js', import.meta.url));
const SQLITE = fileURLToPath(import.meta.resolve('better-sqlite3'));

/** Runs `script` (an ES module body) in a fresh Node process with these arguments; resolves to "CODE STDERR". */
function node(script: string, args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise<string>((res) => child.on('close', (code) => res(`${code} ${stderr}`)));
}

/** A process that writes `count` copies of the trial in argv[1] to run `id`, the i-th under key 'k' + (keyOf). */
function writer(db: string, id: string, count: number, keyOf: string): string {
  return `
    const { openResultsStore } = await import(${JSON.stringify(OPEN_JS)});
    const trial = JSON.parse(process.argv[1]);
    const s = await openResultsStore(${JSON.stringify(db)});
    for (let i = 0; i < ${count}; i++) await s.addTrial(${JSON.stringify(id)}, { ...trial, key: 'k' + (${keyOf}) });
    await s.close();`;
}

for (const backend of BACKENDS) {
  test(`${backend}: a reader sees committed trials while a writer holds a transaction open`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const writer = await openDb(t, db);
    const id = await writer.beginRun({ toolVersion: '0.1.0' });
    const [one, two] = fixtureTrials();
    await writer.addTrial(id, one);

    const sweep = await (await rawDb(t, db)).holdOpen("UPDATE runs SET command = 'half-written' WHERE id = ?", [id]);
    const reader = await openDb(t, db);
    const seen = await reader.getRun(id);
    assert.equal(seen.trials.length, 1);
    assert.equal(seen.run.command, undefined);
    await sweep.commit();
    await writer.addTrial(id, two);
    assert.equal((await reader.getRun(id)).trials.length, 2);
    assert.equal((await reader.getRun(id)).run.command, 'half-written');
  });

  test(`${backend}: reads stay consistent while another process writes a sweep`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const reader = await openDb(t, db);
    const id = await reader.beginRun({ toolVersion: '0.1.0' });
    const count = 150;
    let done = false;
    const exited = node(writer(db, id, count, 'i'), [JSON.stringify(fixtureTrials()[0])]).then((r) => { done = true; return r; });
    let last = 0;
    let reads = 0;
    while (!done) {
      const run = await reader.getRun(id);
      assert.equal(run.run.trialCount, run.trials.length, 'summary and trials come from one snapshot');
      assert.ok(run.trials.length >= last, 'never goes backwards');
      last = run.trials.length;
      reads++;
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(await exited, '0 ');
    assert.equal((await reader.getRun(id)).trials.length, count);
    assert.ok(reads > 0);
  });

  test(`${backend}: writers in several processes at once neither duplicate nor lose a trial`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const store = await openDb(t, db);
    const id = await store.beginRun({ toolVersion: '0.1.0' });
    const count = 40;
    // Three writers each write every trial (as retried or racing shard tasks would).
    const writers = [0, 1, 2].map((n) => node(writer(db, id, count, `(i * 7 + Number(process.argv[2])) % ${count}`), [JSON.stringify(fixtureTrials()[0]), String(n)]));
    assert.deepEqual(await Promise.all(writers), ['0 ', '0 ', '0 ']);
    const run = await store.getRun(id);
    assert.equal(run.trials.length, count);
    assert.equal(new Set(run.trials.map((r) => r.key)).size, count);
    assert.ok(run.trials.every((r) => r.status === 'ok' && r.samplesMs.length > 0));
  });
}

test('a database locked past the retries names the process that holds it', async (t) => {
  const db = join(tempDir(t), 'r.db');
  const store = openStore(db, { busyTimeoutMs: 100, lockRetries: 1 });
  t.after(() => store.close());
  const id = store.beginRun({ toolVersion: '0.1.0' });
  const script = `
    const Database = (await import(${JSON.stringify(SQLITE)})).default;
    const db = new Database(${JSON.stringify(db)});
    db.exec('BEGIN IMMEDIATE');
    db.prepare("UPDATE runs SET command = 'x'").run();
    process.stdout.write('locked\\n');
    setTimeout(() => {}, 30000);`;
  const holder = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => { holder.kill('SIGKILL'); });
  await new Promise<void>((res, rej) => {
    holder.stdout.on('data', (d) => { if (String(d).includes('locked')) res(); });
    holder.on('exit', () => rej(new Error('lock holder exited early')));
  });
  assert.throws(() => store.addTrial(id, fixtureTrials()[0]), (e: Error) =>
    e instanceof StoreLockedError && e.message.includes(`pid ${holder.pid}`) && e.message.includes('--db'));
});
