/**
 * Nothing finished is lost: the database is written before the JSON Lines
 * file, --resume makes the two agree and continues the same run id, and a
 * full disk cuts the partial line back and ends the run with its table and
 * exit 1 (never exit 3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { JsonlWriteError, JsonlWriter, readJsonl, type JsonlFs } from '../src/results/jsonl.js';
import type { TrialResult } from '../src/results/types.js';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli, startCli } from './helpers/cli.js';

const skipped = (key: string): TrialResult => ({
  formatVersion: 2, status: 'skipped', key, runtime: 'fake', provider: 'cpu', settings: {}, batchSize: 1, scenario: 'single-stream',
  model: { path: 'm.onnx', sha256: 'x' }, reason: 'test', warnings: [],
});

function failingFs(failOnCall: number, shortBytes: number): JsonlFs & { calls: number } {
  const fs = {
    calls: 0,
    writeSync(fd: number, buf: Uint8Array, offset: number, length: number): number {
      fs.calls++;
      if (fs.calls === failOnCall) {
        // Part of the line lands, then the disk is full.
        return writeSyncReal(fd, buf, offset, Math.min(shortBytes, length));
      }
      if (fs.calls > failOnCall) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      return writeSyncReal(fd, buf, offset, length);
    },
    fsyncSync: () => {},
    ftruncateSync: (fd: number, len: number) => ftruncateReal(fd, len),
  };
  return fs;
}
import { ftruncateSync as ftruncateReal, writeSync as writeSyncReal } from 'node:fs';

test('a short write then ENOSPC: the partial line is cut back and the error names the trial', () => {
  const path = join(tempDir(), 'r.jsonl');
  const w = new JsonlWriter(path, failingFs(3, 10));
  w.append(skipped('a'));
  w.append(skipped('b'));
  assert.throws(() => w.append(skipped('c')), (err: Error) => {
    assert.ok(err instanceof JsonlWriteError);
    assert.match(err.message, /could not take trial c \(ENOSPC: no space left on the device\); it was cut back to its last whole line and holds every trial before that one \(2 written/);
    return true;
  });
  assert.throws(() => w.append(skipped('d')), /trial c/, 'no line follows a gap');
  w.close();
  const text = readFileSync(path, 'utf8');
  assert.ok(text.endsWith('\n'));
  assert.deepEqual(readJsonl(path), { results: [skipped('a'), skipped('b')], badLines: 0 });
});

function db(path: string): Database.Database {
  return new Database(path);
}

function trialKeys(dbPath: string, runId: string): string[] {
  const h = db(dbPath);
  try {
    return (h.prepare('SELECT key, repetition FROM trials WHERE run_id = ? ORDER BY key, repetition').all(runId) as { key: string; repetition: number }[]).map((r) => `${r.key}#${r.repetition}`);
  } finally {
    h.close();
  }
}

function fileKeys(path: string): string[] {
  return readJsonl(path).results.map((r) => `${r.key}#${r.repetition ?? 0}`).sort();
}

const QUICK = ['--runtime', 'fake', '--min-time', '10ms', '--no-check-outputs', '--no-efficiency', '-q'];
const sweep = (model: string, out: string, dbPath: string, extra: string[] = []) => ['run', model, ...QUICK, '--set', 'latencyMs=1,2,3', '--out', out, '--db', dbPath, ...extra];

test('--resume after a kill between the database and the file: the trial is copied back, nothing reruns, the run id is kept', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const dbPath = join(dir, 'r.db');
  const first = runCli([...sweep(model, out, dbPath), '--json']);
  assert.equal(first.code, 0, first.stderr);
  const runId = (JSON.parse(first.stdout) as { runId: string }).runId;
  // As after a SIGKILL right after the database commit: the last line never reached the file, the run never ended.
  const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
  writeFileSync(out, `${lines.slice(0, -1).join('\n')}\n`);
  const h = db(dbPath);
  h.prepare('UPDATE runs SET ended_at = NULL WHERE id = ?').run(runId);
  h.close();
  assert.match(runCli(['runs', '--db', dbPath]).stdout, /interrupted \(its process \d+ on .* died; it kept 3 trial\(s\); --resume continues it\)/);

  const again = runCli([...sweep(model, out, dbPath, ['--resume']), '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal((JSON.parse(again.stdout) as { runId: string }).runId, runId);
  assert.deepEqual(fileKeys(out), trialKeys(dbPath, runId));
  assert.equal(fileKeys(out).length, 3);
  const runs = JSON.parse(runCli(['runs', '--db', dbPath, '--json']).stdout) as { id: string; endedAt?: string }[];
  assert.deepEqual(runs.map((r) => r.id), [runId]);
  assert.ok(runs[0].endedAt, 'the resumed run is ended');
});

test('--resume when the database lacks a trial the file has: it is added, and both agree', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const dbPath = join(dir, 'r.db');
  const first = runCli([...sweep(model, out, dbPath), '--json']);
  const runId = (JSON.parse(first.stdout) as { runId: string }).runId;
  const h = db(dbPath);
  h.pragma('foreign_keys = ON');
  h.prepare('DELETE FROM trials WHERE id = (SELECT MAX(id) FROM trials)').run();
  h.prepare('UPDATE runs SET ended_at = NULL WHERE id = ?').run(runId);
  h.close();
  const again = runCli(sweep(model, out, dbPath, ['--resume']));
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(trialKeys(dbPath, runId), fileKeys(out));
  assert.equal(fileKeys(out).length, 3);
});

test('SIGKILL mid-sweep, then --resume: the database and the file hold the same complete set under one run id', async () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const dbPath = join(dir, 'r.db');
  const args = ['run', model, ...QUICK, '--set', 'latencyMs=1,2,3,4,5,6', '--out', out, '--db', dbPath];
  const lineCount = () => { try { return readFileSync(out, 'utf8').split('\n').filter(Boolean).length; } catch { return 0; } };
  // Killed once after its first trial, once (resuming) after one more.
  for (const [extra, wantLines] of [[[], 1], [['--resume'], 2]] as [string[], number][]) {
    const child = startCli([...args, ...extra]);
    while (lineCount() < wantLines) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
  }
  const h = db(dbPath);
  const runIds = (h.prepare('SELECT id FROM runs ORDER BY started_at').all() as { id: string }[]).map((r) => r.id);
  h.close();
  const done = runCli([...args, '--resume', '--json']);
  assert.equal(done.code, 0, done.stderr);
  const runId = (JSON.parse(done.stdout) as { runId: string }).runId;
  assert.deepEqual(runIds, [runId], 'the resumed runs continue the first');
  assert.equal(fileKeys(out).length, 6);
  assert.deepEqual(trialKeys(dbPath, runId), fileKeys(out));
});

test('a full disk under --out (/dev/full): the table is printed, each trial is placed, exit 1 and no stack trace', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const dbPath = join(dir, 'r.db');
  const r = runCli(['run', model, ...QUICK, '--set', 'latencyMs=1,2', '--out', '/dev/full', '--db', dbPath]);
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.match(r.stdout, /latencyMs=1/, 'the table of what ran');
  assert.match(r.stderr, /^error: the JSON Lines file \/dev\/full could not take trial \S+ \(ENOSPC: no space left on the device\).*that trial is in the results database only \(run \S+\); the sweep stopped there, 1 planned trial\(s\) not run: free space on the disk, then run the same command with --resume to continue run/m);
});
