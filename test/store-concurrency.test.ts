import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openStore, StoreLockedError } from '../src/store/store.js';
import { fixtureTrials, tempDir } from './fixtures/fixture.js';

const STORE_JS = fileURLToPath(new URL('../src/store/store.js', import.meta.url));
const SQLITE = fileURLToPath(import.meta.resolve('better-sqlite3'));

test('a reader sees committed trials while a writer holds a transaction open', (t) => {
  const db = join(tempDir(t), 'r.db');
  const writer = openStore(db);
  t.after(() => writer.close());
  const id = writer.beginRun({ toolVersion: '0.1.0' });
  const [one, two] = fixtureTrials();
  writer.addTrial(id, one);

  const sweep = new Database(db);
  t.after(() => sweep.close());
  sweep.exec('BEGIN IMMEDIATE');
  sweep.prepare("UPDATE runs SET command = 'half-written' WHERE id = ?").run(id);

  const reader = openStore(db, { mustExist: true });
  t.after(() => reader.close());
  const seen = reader.getRun(id);
  assert.equal(seen.trials.length, 1);
  assert.equal(seen.run.command, undefined);
  sweep.exec('COMMIT');
  writer.addTrial(id, two);
  assert.equal(reader.getRun(id).trials.length, 2);
  assert.equal(reader.getRun(id).run.command, 'half-written');
});

test('reads stay consistent while another process writes a sweep', async (t) => {
  const db = join(tempDir(t), 'r.db');
  const setup = openStore(db);
  const id = setup.beginRun({ toolVersion: '0.1.0' });
  setup.close();
  const count = 150;
  const script = `
    const { openStore } = await import(${JSON.stringify(STORE_JS)});
    const trial = JSON.parse(process.argv[1]);
    const s = openStore(${JSON.stringify(db)});
    for (let i = 0; i < ${count}; i++) s.addTrial(${JSON.stringify(id)}, { ...trial, key: 'k' + i });
    s.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(fixtureTrials()[0])], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((res) => child.on('exit', res));
  const reader = openStore(db, { mustExist: true });
  t.after(() => reader.close());
  let done = false;
  void exited.then(() => { done = true; });
  let last = 0;
  let reads = 0;
  while (!done) {
    const run = reader.getRun(id);
    assert.equal(run.run.trialCount, run.trials.length, 'summary and trials come from one snapshot');
    assert.ok(run.trials.length >= last, 'never goes backwards');
    last = run.trials.length;
    reads++;
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(await exited, 0, stderr);
  assert.equal(reader.getRun(id).trials.length, count);
  assert.ok(reads > 0);
});

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
