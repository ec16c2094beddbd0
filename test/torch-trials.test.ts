/**
 * torch trials end to end: a run that hangs inside the worker past --timeout is
 * a failed result that still carries the worker's stderr (relayed to the
 * runner's own stderr as it comes), and mode compile records its cold and warm
 * compile times as typed fields shown in the terminal table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { skipTorch as skip } from './torch-helpers.js';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';
import type { FailedTrial, OkTrial } from '../src/results/types.js';

const dir = tempDir();
const model = writeModel(dir, 'add.onnx', addModelBytes());
const quick = ['--min-time', '20ms', '--no-check-outputs', '--no-efficiency', '--no-db', '-q'];

test('a torch call that hangs past --timeout fails the trial with the worker\'s stderr tail', { skip }, () => {
  const out = join(dir, 'hang.jsonl');
  const r = runCli(['run', model, '--runtime', 'torch', '--timeout', '40', '--out', out, ...quick], {
    env: { INFERMARK_WORKER_DEBUG: '1', INFERMARK_WORKER_DEBUG_CALL_SLEEP_S: '600' }, timeoutMs: 120_000,
  });
  assert.equal(r.code, 1, r.stderr);
  const [trial] = readJsonl(out).results as FailedTrial[];
  assert.equal(trial.status, 'failed');
  assert.equal(trial.error.kind, 'timeout');
  assert.match(trial.error.stderrTail ?? '', /debug: sleeping 600 s inside the call/);
});

test('mode compile records its cold and warm compile times and the table shows them', { skip }, () => {
  const out = join(dir, 'compile.jsonl');
  const r = runCli(['run', model, '--runtime', 'torch', '--set', 'mode=compile', '--out', out, '--timeout', '600', ...quick.filter((a) => a !== '-q')], { timeoutMs: 600_000 });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [trial] = readJsonl(out).results as OkTrial[];
  assert.equal(trial.status, 'ok');
  assert.ok(trial.compile && trial.compile.coldMs > 0 && trial.compile.warmMs! > 0, JSON.stringify(trial.compile));
  assert.match(r.stdout, /compile [\d.]+ ms cold, [\d.]+ ms warm/);
});
