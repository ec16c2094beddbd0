/** --cpus: the runner and its threads are pinned, the cores they ran on are read back, and bad input is refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';
import type { OkTrial } from '../src/results/types.js';
import { lastCpuOf } from '../src/runner/affinity.js';

test('the core a thread last ran on is field 39 of its stat line, even with spaces in its name', () => {
  const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
  fields[36] = '1';
  assert.equal(lastCpuOf(`1234 (node worker 2) ${fields.join(' ')}`), 1);
  assert.equal(lastCpuOf('1234 (x) S 1'), undefined);
});

test('run --cpus 0 pins the runner and records the cores its threads ran on', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'fake', '--cpus', '0', '--min-time', '200ms', '--max-time', '1s', '--min-samples', '5', '-q', '--no-efficiency', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const [t] = readJsonl(out).results as OkTrial[];
  assert.deepEqual(t.affinity?.requested, [0]);
  assert.deepEqual(t.affinity?.observed, [0]);
  assert.ok(!t.warnings.some((w) => w.code === 'affinity'), JSON.stringify(t.warnings));
});

test('--cpus with a core the machine lacks is refused, naming the field', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const r = runCli(['run', model, '--runtime', 'fake', '--cpus', `0,${availableParallelism()}`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--cpus/);
});
