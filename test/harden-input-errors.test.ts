/** Inputs that used to end in an internal error: each is now one line naming what is wrong (exit 2 from the CLI). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx, decodeModel, modelIO } from '../src/onnx/read.js';
import { InputError } from '../src/errors/input-error.js';
import { parseRunArgs } from '../src/cli/run-args.js';
import { planTrials } from '../src/api/benchmark.js';
import { checkTrialCount, trialCountBound } from '../src/api/trial-count.js';
import { renderTable } from '../src/cli/format.js';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

function modelWithInputType(elemType: number): Uint8Array {
  const info = (name: string, t: number) => ({ name, type: { tensorType: { elemType: t, shape: { dim: [{ dimValue: 1 }] } } } });
  return onnx.ModelProto.encode({
    irVersion: 8, opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'g', node: [{ opType: 'Identity', input: ['x'], output: ['y'] }], input: [info('x', elemType)], output: [info('y', 1)] },
  }).finish();
}

test('unsupported element types (0, 14-15 complex, 18-19, 21-22, 99) are InputErrors naming the type (strings, 8, are carried)', () => {
  for (const t of [0, 14, 15, 18, 19, 21, 22, 99]) {
    assert.throws(() => modelIO(decodeModel(modelWithInputType(t))), (err: Error) => {
      assert.ok(err instanceof InputError, `${t}: ${err.message}`);
      assert.match(err.message, new RegExp(`ONNX element type ${t} is not supported; supported: 1 \\(float32\\)`));
      return true;
    });
  }
});

test('the CLI answers an unsupported element type and a bomb of a plan with one line and exit 2', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'complex.onnx', modelWithInputType(14));
  const r = runCli(['run', model, '--runtime', 'fake', '--dry-run']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /ONNX element type 14 is not supported/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);

  writeModel(dir, 'add.onnx', addModelBytes());
  const values = Array.from({ length: 60 }, (_, i) => i + 1).join(', ');
  const plan = join(dir, 'bomb.yaml');
  writeFileSync(plan, `models: [add.onnx]\nruntimes: [fake]\nsettings: { latencyMs: [${values}], jitterMs: [${values}], crashAfter: [${values}] }\nbatch: [1, 2, 4, 8]\n`);
  const started = Date.now();
  const b = runCli(['run', plan, '--dry-run']);
  assert.equal(b.code, 2, b.stderr);
  assert.match(b.stderr, /expands to up to 864000 trials, over the bound of 100000; narrow the grid, or raise the bound with --max-trials N/);
  assert.ok(Date.now() - started < 60_000);
});

test('--set __proto__, constructor and toString are refused as unknown settings, not internal errors', async () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  for (const name of ['__proto__', 'constructor', 'toString']) {
    const cli = parseRunArgs([model, '--runtime', 'fake', '--set', `${name}=1`]);
    assert.deepEqual(Object.keys(cli.bench.settings ?? {}), [name]);
    await assert.rejects(planTrials({ model, ...cli.bench }), (err: Error) => {
      assert.ok(err instanceof InputError, `${name}: ${err.message}`);
      assert.match(err.message, new RegExp(`--set ${name}: no selected runtime has this setting`));
      return true;
    });
  }
  const shapes = parseRunArgs([model, '--shape', '__proto__=1,2', '--dim', 'constructor=3']);
  assert.equal(Object.getPrototypeOf(shapes.bench.shapes), null);
  assert.deepEqual(shapes.bench.dims?.constructor, 3);
});

test('the trial count is bounded before expansion, per runtime and over entries', () => {
  assert.equal(trialCountBound({ model: 'm', runtimes: ['ort-node', 'tfjs'], settings: { 'ort-node.intraOpNumThreads': [1, 2, 4], 'tfjs.numThreads': [1, 2] }, batchSizes: [1, 8], repeat: 2 }), (3 + 2) * 2 * 2);
  assert.doesNotThrow(() => checkTrialCount([{ model: 'm', settings: { a: Array.from({ length: 1000 }, (_, i) => i) } }], 1000));
  assert.throws(() => checkTrialCount([{ model: 'm' }, { model: 'm', batchSizes: [1, 2] }], 2), /up to 3 trials, over the bound of 2/);
  const huge = { model: 'm', settings: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`s${i}`, Array.from({ length: 100 }, (_, j) => j)])) };
  assert.throws(() => checkTrialCount([huge]), /up to 1.00e\+80 trials/);
});

test('renderTable lays out 160,000 rows without overflowing the stack', () => {
  const rows = Array.from({ length: 160_000 }, (_, i) => [String(i), 'x'.repeat(i % 7)]);
  const text = renderTable(['n', 'pad'], rows, [true, false]);
  const lines = text.split('\n');
  assert.equal(lines.length, 160_002);
  assert.equal(lines[1], '------  ------');
});
