/**
 * A recorded run killed (SIGKILL to its whole process group) at every write
 * step of a sweep, and at timed moments: after each kill the JSON Lines file
 * and the database agree up to the one trial the kill fell between, no trial
 * the file holds is missing from the database, the run shows as interrupted
 * with the trials it kept, and --resume completes it under the same run id.
 * The kills run side by side, each in its own folder, to keep the test short.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readJsonl } from '../src/results/jsonl.js';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { CLI, runCli } from './helpers/cli.js';

const TRIALS = 2;
const STEPS = 2 * TRIALS;
const QUICK = ['--runtime', 'fake', '--min-time', '10ms', '--max-time', '50ms', '--no-check-outputs', '--no-efficiency', '-q'];
const args = (dir: string) => ['run', join(dir, 'add.onnx'), ...QUICK, '--set', 'latencyMs=1,2', '--out', join(dir, 'r.jsonl'), '--db', join(dir, 'r.db'), '--json'];

const root = tempDir('infermark-kill-sweep-');
test.after(() => rmSync(root, { recursive: true, force: true }));

function fileKeys(dir: string): string[] {
  return readJsonl(join(dir, 'r.jsonl')).results.map((r) => `${r.key}#${r.repetition ?? 0}`).sort();
}

function dbState(dir: string): { runIds: string[]; keys: string[] } {
  const h = new Database(join(dir, 'r.db'), { readonly: true });
  try {
    const runIds = (h.prepare('SELECT id FROM runs ORDER BY started_at').all() as { id: string }[]).map((r) => r.id);
    const keys = (h.prepare('SELECT key, repetition FROM trials ORDER BY key, repetition').all() as { key: string; repetition: number }[]).map((r) => `${r.key}#${r.repetition}`);
    return { runIds, keys };
  } finally {
    h.close();
  }
}

/** Runs the sweep in a process group of its own; killed by the write-step hook, or by us after `afterMs`. */
function killedRun(dir: string, opts: { step?: number; afterMs?: number }): Promise<void> {
  const env = { ...process.env, INFERMARK_CACHE_DIR: join(dir, 'cache'), ...(opts.step ? { INFERMARK_TEST_KILL_AT_WRITE: String(opts.step) } : {}) };
  const child = spawn(process.execPath, [CLI, ...args(dir)], { detached: true, stdio: 'ignore', env });
  const timer = opts.afterMs === undefined ? undefined : setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ } }, opts.afterMs);
  return new Promise((resolve) => child.once('close', (code, signal) => {
    clearTimeout(timer);
    if (opts.step) assert.equal(signal, 'SIGKILL', `the hook at step ${opts.step} did not kill the run (exit ${code})`);
    resolve();
  }));
}

test(`SIGKILL at each of the ${STEPS} write steps and at timed moments: file and database agree, the run is interrupted, --resume completes it`, async () => {
  const points: { name: string; step?: number; afterMs?: number }[] = [
    ...Array.from({ length: STEPS }, (_, i) => ({ name: `write step ${i + 1}`, step: i + 1 })),
    // Timed: wherever the run happens to be (starting, inside a trial's runner, writing).
    { name: 'after 2.5 s', afterMs: 2500 },
  ];
  const dirs = points.map((p, i) => {
    const dir = join(root, `k${i}`);
    mkdirSync(dir);
    writeModel(dir, 'add.onnx', addModelBytes());
    return { ...p, dir };
  });
  await Promise.all(dirs.map((d) => killedRun(d.dir, d)));

  for (const d of dirs) {
    let file: string[] = [];
    try { file = fileKeys(d.dir); } catch { /* no file yet */ }
    let db: { runIds: string[]; keys: string[] } = { runIds: [], keys: [] };
    try { db = dbState(d.dir); } catch { /* killed before the database was made */ }
    // The database is written first: it holds every line of the file, and at most the one trial the kill fell between.
    for (const k of file) assert.ok(db.keys.includes(k), `${d.name}: ${k} is in the file but not in the database`);
    assert.ok(db.keys.length - file.length <= 1, `${d.name}: the database has ${db.keys.length} trials, the file ${file.length}`);
    if (d.step) {
      const committed = Math.floor(d.step / 2);
      assert.equal(db.keys.length, committed, `${d.name}: trials in the database`);
      assert.equal(file.length, committed - (d.step % 2 === 0 ? 1 : 0), `${d.name}: lines in the file`);
    }
    if (db.runIds.length) {
      const runs = JSON.parse(runCli(['runs', '--db', join(d.dir, 'r.db'), '--json']).stdout) as { id: string; state: string; trialCount: number }[];
      assert.equal(runs[0].state, 'interrupted', `${d.name}: ${JSON.stringify(runs[0])}`);
      assert.equal(runs[0].trialCount, db.keys.length);
    }
  }

  const resumed = await Promise.all(dirs.map((d) => new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args(d.dir), '--resume'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, INFERMARK_CACHE_DIR: join(d.dir, 'cache') } });
    let out = '';
    child.stdout.on('data', (b) => { out += b; });
    child.once('close', (code) => resolve({ code, out }));
  })));
  dirs.forEach((d, i) => {
    const before = (() => { try { return dbState(d.dir).runIds; } catch { return []; } })();
    assert.equal(resumed[i].code, 0, `${d.name}: --resume exited ${resumed[i].code}`);
    const runId = (JSON.parse(resumed[i].out) as { runId: string }).runId;
    const after = dbState(d.dir);
    assert.deepEqual(after.runIds, [runId], `${d.name}: one run, continued under its id`);
    if (before.length) assert.equal(before[0], runId);
    assert.equal(fileKeys(d.dir).length, TRIALS, `${d.name}: trials in the file after --resume`);
    assert.deepEqual(after.keys, fileKeys(d.dir), `${d.name}: the database and the file agree after --resume`);
    const runs = JSON.parse(runCli(['runs', '--db', join(d.dir, 'r.db'), '--json']).stdout) as { state: string }[];
    assert.equal(runs[0].state, 'finished');
  });
});
