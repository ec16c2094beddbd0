/**
 * TensorFlow.js's own format on the tfjs runtime: a layers model and a graph
 * model, each written by tfjs itself into a temporary folder (model.json and
 * a weight shard), loaded by path and run through predict(); shards are read
 * only from inside the model's folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import '@tensorflow/tfjs-backend-cpu';
import { load } from '../src/api/load.js';
import { tempDir } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

const dir = tempDir('infermark-tfjs-json-');

/** A save handler writing model.json and one shard, as tfjs's own file handler lays them out. */
function folderHandler(folder: string): tf.io.IOHandler {
  mkdirSync(folder, { recursive: true });
  return tf.io.withSaveHandler(async (a) => {
    const { weightData, weightSpecs, ...rest } = a;
    const bytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData as ArrayBuffer));
    writeFileSync(join(folder, 'group1-shard1of1.bin'), bytes);
    writeFileSync(join(folder, 'model.json'), JSON.stringify({ ...rest, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: weightSpecs }] }));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
  });
}

const W = [[1, 2], [3, 4], [5, 6]];
const B = [0.5, -1];

test('a tfjs layers model (model.json + shard) runs on tfjs through predict(), inputs and outputs from its signature', async () => {
  await tf.setBackend('cpu');
  const folder = join(dir, 'layers');
  const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3], name: 'dense' })] });
  m.setWeights([tf.tensor2d(W), tf.tensor1d(B)]);
  await m.save(folderHandler(folder));
  m.dispose();
  const model = await load(join(folder, 'model.json'), { runtime: 'tfjs' });
  try {
    assert.equal(model.inputs.length, 1);
    assert.deepEqual(model.inputs[0].shape, ['batch', 3]);
    assert.equal(model.inputs[0].dtype, 'float32');
    const out = await model.predict({ dtype: 'float32', shape: [2, 3], data: Float32Array.of(1, 0, 0, 1, 1, 1) });
    const y = out[model.outputs[0].name];
    assert.deepEqual(y.shape, [2, 2]);
    assert.deepEqual([...y.data], [1.5, 1, 9.5, 11]);
  } finally {
    await model.dispose();
  }
});

test('a tfjs graph model (model.json + shard) runs on tfjs through predict()', async () => {
  await tf.setBackend('cpu');
  const folder = join(dir, 'graph');
  const node = (name: string, op: string, input: string[], attr: Record<string, unknown>) => ({ name, op, input, attr });
  const f32 = { type: 'DT_FLOAT' };
  const topology = {
    node: [
      node('x', 'Placeholder', [], { dtype: f32, shape: { shape: { dim: [{ size: '-1' }, { size: '3' }] } } }),
      node('w', 'Const', [], { dtype: f32, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '3' }, { size: '2' }] } } } }),
      node('mm', 'MatMul', ['x', 'w'], { T: f32, transpose_a: { b: false }, transpose_b: { b: false } }),
      node('y', 'Relu', ['mm'], { T: f32 }),
    ],
    versions: { producer: 1 },
  };
  const weights = tf.tensor2d(W);
  const memory = tf.io.fromMemory({
    modelTopology: topology, format: 'graph-model',
    weightSpecs: [{ name: 'w', shape: [3, 2], dtype: 'float32' }], weightData: (await weights.data()).slice().buffer,
  });
  const g = await loadGraphModel(memory);
  await g.save(folderHandler(folder));
  g.dispose();
  weights.dispose();
  const model = await load(join(folder, 'model.json'), { runtime: 'tfjs' });
  try {
    assert.deepEqual(model.inputs.map((i) => i.name), ['x']);
    const out = await model.predict({ x: { dtype: 'float32', shape: [2, 3], data: Float32Array.of(1, 0, 0, -1, -1, -1) } });
    assert.deepEqual(Object.keys(out), ['y']);
    assert.deepEqual(out.y.shape, [2, 2]);
    assert.deepEqual([...out.y.data], [1, 2, 0, 0]);
  } finally {
    await model.dispose();
  }
});

test('a model.json whose shard lies outside its folder is refused, naming the shard', async () => {
  const folder = join(dir, 'escape');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(dir, 'secret.bin'), new Uint8Array(24));
  writeFileSync(join(folder, 'model.json'), JSON.stringify({
    format: 'layers-model', modelTopology: { class_name: 'Sequential', config: { layers: [] } },
    weightsManifest: [{ paths: ['../secret.bin'], weights: [{ name: 'w', shape: [6], dtype: 'float32' }] }],
  }));
  await assert.rejects(load(join(folder, 'model.json'), { runtime: 'tfjs' }), /weights shard \.\.\/secret\.bin.*outside the model's folder/);
  writeFileSync(join(folder, 'bad.json'), '{"hello": 1}');
  await assert.rejects(load(join(folder, 'bad.json'), { runtime: 'tfjs' }), /not a TensorFlow\.js model\.json/);
});

test('run model.json: the trial runs on tfjs with inputs from the signature; another runtime is refused by name', async () => {
  await tf.setBackend('cpu');
  const folder = join(dir, 'cli');
  const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3], name: 'head' })] });
  await m.save(folderHandler(folder));
  m.dispose();
  const out = join(dir, 'cli.jsonl');
  const r = runCli(['run', join(folder, 'model.json'), '--runtime', 'tfjs', '--batch', '2', '--out', out, '--min-time', '50ms', '--max-time', '1s', '--min-samples', '5', '--warmup', '1', '-q', '--no-db'], { timeoutMs: 180_000 });
  const results = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { status: string; inputShapes?: Record<string, number[]> });
  assert.equal(results[0].status, 'ok', r.stderr);
  assert.deepEqual(results[0].inputShapes, { head_input: [2, 3] });
  const other = runCli(['run', join(folder, 'model.json'), '--runtime', 'ort-node', '--no-db'], { timeoutMs: 60_000 });
  assert.equal(other.code, 2);
  assert.match(other.stderr, /is a TensorFlow\.js model\.json, which only the tfjs runtime reads/);
});
