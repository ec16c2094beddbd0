/** Output checks: pure comparison, and a deliberately perturbed runtime flagged end to end. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compareOutputs } from '../src/engine/agreement.js';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';

const t = (rows: number[][]) => ({ y: { dtype: 'float32' as const, shape: [rows.length, rows[0].length], data: Float32Array.from(rows.flat()) } });

test('identical outputs agree; small float noise is within tolerance', () => {
  const a = compareOutputs(t([[1, 2, 3]]), t([[1, 2, 3]]), 'ref');
  assert.equal(a.withinTolerance, true);
  assert.equal(a.maxAbsError, 0);
  assert.equal(a.top1Agreement, 1);
  const noisy = compareOutputs(t([[1.00001, 2, 1000.05]]), t([[1, 2, 1000]]), 'ref');
  assert.equal(noisy.withinTolerance, true);
});

test('a changed class or a large error is flagged, with the figures', () => {
  const a = compareOutputs(t([[1, 5, 3], [9, 0, 0]]), t([[1, 2, 3], [9, 0, 0]]), 'ref');
  assert.equal(a.withinTolerance, false);
  assert.ok(Math.abs(a.maxAbsError - 3) < 1e-6);
  assert.equal(a.top1Agreement, 0.5);
  const shape = compareOutputs(t([[1, 2]]), t([[1, 2, 3]]), 'ref');
  assert.equal(shape.withinTolerance, false);
  assert.match(shape.mismatch ?? '', /shape \[1, 2\], the reference \[1, 3\]/);
});

test('a deliberately perturbed runtime is flagged in the result and the table', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'fake', '--set', 'perturb=0,0.05', '--min-time', '50ms', '--out', out, '-q']);
  assert.equal(r.code, 0, r.stderr);
  const [clean, perturbed] = readJsonl(out).results;
  assert.equal(clean.agreement?.withinTolerance, true);
  const a = perturbed.agreement!;
  assert.equal(a.withinTolerance, false);
  assert.ok(Math.abs(a.maxAbsError! - 0.05) < 1e-6);
  assert.match(a.reference, /ort-node\/cpu graphOptimizationLevel=disabled/);
  assert.ok(perturbed.warnings.some((w) => w.code === 'output-mismatch'));
  assert.match(r.stdout, /MISMATCH \(0\.050\)/);
  const off = runCli(['run', model, '--runtime', 'fake', '--set', 'perturb=0.05', '--min-time', '50ms', '--no-check-outputs', '--json', '-q']);
  assert.equal(JSON.parse(off.stdout).results[0].agreement, undefined);
});
