/**
 * --format native: zoo:mobilenetv2 as torchvision's own module with the same
 * seeded weights as its ONNX file, its outputs checked against the ONNX reference.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { skipTorch as skip } from './torch-helpers.js';
import { tempDir } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';

test('zoo:mobilenetv2 as a torchvision module (--format native) agrees with its ONNX file', { skip }, () => {
  const out = join(tempDir(), 'r.jsonl');
  const r = runCli(['run', 'zoo:mobilenetv2', '--runtime', 'torch', '--format', 'native', '--batch', '1',
    '--min-time', '50ms', '--max-time', '500ms', '--min-samples', '3', '--warmup', '1', '--out', out, '-q'], { timeoutMs: 600_000 });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [trial] = readJsonl(out).results as unknown as { status: string; settings: Record<string, unknown>; agreement?: { withinTolerance?: boolean } }[];
  assert.equal(trial.status, 'ok');
  assert.equal(trial.settings.format, 'native');
  assert.equal(trial.agreement?.withinTolerance, true);
});

test('zoo:bert-tiny as transformers\' BertModel and as the imported graph (--format native,onnx) both agree with its ONNX file', { skip }, () => {
  const out = join(tempDir(), 'r.jsonl');
  const r = runCli(['run', 'zoo:bert-tiny', '--runtime', 'torch', '--format', 'native,onnx', '--batch', '2',
    '--min-time', '50ms', '--max-time', '300ms', '--min-samples', '3', '--warmup', '1', '--out', out, '-q'], { timeoutMs: 600_000 });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const trials = readJsonl(out).results as unknown as { status: string; settings: Record<string, unknown>; error?: { message: string }; agreement?: { withinTolerance?: boolean } }[];
  assert.deepEqual(trials.map((t) => t.settings.format).sort(), ['native', 'onnx']);
  for (const t of trials) {
    assert.equal(t.status, 'ok', `${String(t.settings.format)}: ${t.error?.message}`);
    assert.equal(t.agreement?.withinTolerance, true, `${String(t.settings.format)} outputs agree`);
  }
});

test('--format with a value that is neither a report nor a model format is an input error naming the flag', () => {
  const r = runCli(['run', 'test/fixtures/does-not-matter.onnx', '--runtime', 'torch', '--format', 'keras', '-q']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--format: "keras" is not valid; allowed: html, md \(the report\), or native, onnx/);
});
