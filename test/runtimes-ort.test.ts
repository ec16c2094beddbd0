/** onnxruntime-node and onnxruntime-web end to end on models the test makes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { matmulModelBytes, unknownOpModelBytes, tempDir, writeModel, addModelBytes } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';
import type { FailedTrial, OkTrial } from '../src/results/types.js';
import { load } from '../src/api/load.js';

const FAST = ['--min-time', '100ms', '--max-time', '2s', '--min-samples', '5', '--warmup', '1', '-q'];

test('ort-node and ort-web sweep settings and batches on a real model', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'mm.onnx', matmulModelBytes(64));
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'ort-node,ort-web', '--batch', '1,8', '--set', 'ort-node.intraOpNumThreads=1',
    '--set', 'graphOptimizationLevel=all,disabled', '--set', 'ort-web.numThreads=1', '--out', out, ...FAST]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const results = readJsonl(out).results as OkTrial[];
  assert.equal(results.length, 8);
  for (const x of results) {
    assert.equal(x.status, 'ok');
    assert.ok(x.latencyMs.median > 0 && x.latencyMs.ciLow <= x.latencyMs.median && x.latencyMs.median <= x.latencyMs.ciHigh);
    assert.ok(x.loadMs > 0 && x.firstInferenceMs > 0);
    assert.deepEqual(x.inputShapes, { x: [x.batchSize, 64] });
  }
  const node = results.find((x) => x.runtime === 'ort-node')!;
  assert.equal(node.settings.intraOpNumThreads, 1);
  assert.ok(node.context?.runtimeVersions['onnxruntime-node']);
  const web = results.find((x) => x.runtime === 'ort-web')!;
  assert.equal(web.provider, 'wasm');
  assert.ok(web.context?.runtimeVersions['onnxruntime-web']);
});

test('a model one runtime cannot run fails that trial only', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'bad.onnx', unknownOpModelBytes());
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'ort-node,fake', '--out', out, ...FAST]);
  assert.equal(r.code, 1);
  const byRuntime = Object.fromEntries(readJsonl(out).results.map((x) => [x.runtime, x]));
  assert.equal(byRuntime.fake.status, 'ok');
  const failed = byRuntime['ort-node'] as FailedTrial;
  assert.equal(failed.status, 'failed');
  assert.match(failed.error.message, /NoSuchOperator/);
});

test('the optimised-model cache tells a cold load from a warm one', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'mm.onnx', matmulModelBytes(32));
  const cache = join(dir, 'mm.opt.onnx');
  const out = join(dir, 'r.jsonl');
  for (let i = 0; i < 2; i++) {
    const r = runCli(['run', model, '--runtime', 'ort-node', '--set', `optimizedModelCache=${cache}`, '--out', join(dir, `r${i}.jsonl`), ...FAST]);
    assert.equal(r.code, 0, r.stderr);
  }
  const kinds = [0, 1].map((i) => (readJsonl(join(dir, `r${i}.jsonl`)).results[0] as OkTrial).loadKind);
  assert.deepEqual(kinds, ['cold', 'warm']);
  void out;
});

test('load() splits x into batches, pipelines them and returns every row in order', async () => {
  const dir = tempDir();
  const model = await load(writeModel(dir, 'add.onnx', addModelBytes(3)), { runtime: 'ort-node', batchSize: 4, intraOpNumThreads: 1 });
  const rows = 10;
  const data = Float32Array.from({ length: rows * 3 }, (_, i) => i);
  const out = await model.predict({ dtype: 'float32', shape: [rows, 3], data });
  assert.deepEqual(out.y.shape, [rows, 3]);
  assert.deepEqual([...(out.y.data as Float32Array)], [...data].map((v) => 2 * v));
  await model.dispose();
  await assert.rejects(load(join(dir, 'add.onnx'), { runtime: 'ort-node', threads: 2 }), /setting "threads" is unknown; ort-node settings: intraOpNumThreads/);
});
