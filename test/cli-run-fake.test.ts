/**
 * The CLI end to end on the fake runtime: a clean sweep, a crash, a hang past
 * the timeout, and a SIGKILL of the tool followed by --resume.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli, startCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';
import type { FailedTrial, OkTrial } from '../src/results/types.js';

const FAST = ['--min-time', '50ms', '--max-time', '1s', '--min-samples', '5', '--warmup', '1', '-q'];

test('a sweep runs the cartesian product, saves every trial and prints the table', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'fake', '--batch', '1,4', '--set', 'latencyMs=1,2', '--out', out, ...FAST]);
  assert.equal(r.code, 0, r.stderr);
  const { results } = readJsonl(out);
  assert.equal(results.length, 4);
  assert.ok(results.every((x) => x.status === 'ok'));
  const keys = new Set(results.map((x) => x.key));
  assert.equal(keys.size, 4);
  const slow = results.find((x) => x.settings.latencyMs === 2 && x.batchSize === 4) as OkTrial;
  // A spin of 2 ms takes at least 2 ms of wall time; how much more depends on the load on the machine.
  assert.ok(slow.latencyMs.median >= 2, `median ${slow.latencyMs.median}`);
  // Counted: items completed over the window, which closes with the last call's end.
  const ends = slow.calls!.endMs;
  assert.equal(ends.length, slow.samplesMs.length);
  assert.equal(slow.throughputPerS, (4 * slow.samplesMs.length) / (ends[ends.length - 1] / 1000));
  assert.equal(slow.perCallItemsPerS, (4 * 1000) / slow.latencyMs.median);
  assert.ok(slow.samplesMs.length >= 5);
  assert.equal(slow.model.sha256.length, 64);
  assert.ok(slow.context?.machine.cpuCores);
  assert.match(r.stdout, /median ms \[95% CI\]/);
  assert.match(r.stdout, /fake\s+cpu\s+latencyMs=2\s+4/);
});

test('a crash, a failed load and a hang each become a failed trial, and the sweep goes on', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'fake', '--set', 'crash=none,exit,load-error,signal', '--out', out, '--timeout', '20s', ...FAST]);
  assert.equal(r.code, 1);
  const byCrash = Object.fromEntries(readJsonl(out).results.map((x) => [String(x.settings.crash), x]));
  assert.equal(byCrash.none.status, 'ok');
  const exit = byCrash.exit as FailedTrial;
  assert.equal(exit.error.kind, 'crash');
  assert.equal(exit.error.exitCode, 3);
  assert.match(exit.error.stderrTail ?? '', /exiting with code 3 on purpose/);
  const load = byCrash['load-error'] as FailedTrial;
  assert.equal(load.error.kind, 'error');
  assert.match(load.error.message, /load failed on purpose/);
  const sig = byCrash.signal as FailedTrial;
  assert.equal(sig.error.kind, 'oom');
  assert.match(r.stdout, /FAILED \(crash\)/);

  const hang = runCli(['run', model, '--runtime', 'fake', '--set', 'hang=run', '--timeout', '2s', ...FAST]);
  assert.equal(hang.code, 1);
  assert.match(hang.stdout, /FAILED \(timeout\).*--timeout 2s/);
});

test('SIGKILL of the tool loses no finished trial, and --resume runs only the rest', async () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const args = ['run', model, '--runtime', 'fake', '--set', 'latencyMs=1', '--batch', '1,2,3,4,5,6', '--out', out, ...FAST];
  const child = startCli(args);
  // Kill as soon as two whole trials are on disk. A line still being written
  // can be seen half-way by a concurrent read, so count parsed records, not lines.
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      const n = readJsonl(out).results.length;
      if (n >= 2) { clearInterval(timer); child.kill('SIGKILL'); resolve(); }
    }, 20);
    child.on('exit', () => { clearInterval(timer); reject(new Error('the sweep finished before it could be killed')); });
  });
  const before = readJsonl(out).results;
  assert.ok(before.length >= 2 && before.length < 6, `${before.length} trials before the kill`);
  assert.ok(before.every((x) => x.status === 'ok'));

  const resumed = runCli([...args, '--resume']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const after = readJsonl(out).results;
  assert.equal(after.length, 6);
  assert.deepEqual(after.slice(0, before.length).map((x) => x.key), before.map((x) => x.key));
  assert.equal(new Set(after.map((x) => x.batchSize)).size, 6);
  assert.match(resumed.stdout.split('\n').filter((l) => l.startsWith('fake')).length.toString(), /6/);
});
