/** The tfjs runtime adapter: providers, settings, errors that name their cause, and no tensor left behind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import tfjs from '../src/runtimes/tfjs.js';
import { modelBytes, randomFloats, ints, type GraphSpec } from './tfjs-helpers.js';

const convModel: GraphSpec = {
  nodes: [
    { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attrs: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) } },
    { op: 'Relu', inputs: ['c'], outputs: ['y'] },
  ],
  inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 2, 6, 6] }],
  initializers: { w: randomFloats([3, 2, 3, 3], 1) },
  outputs: [{ name: 'y', dtype: 'float32' }],
};

test('providers: wasm and cpu initialise here; tensorflow, webgl and webgpu say why not', async () => {
  assert.deepEqual(tfjs.providerNames, ['wasm', 'cpu', 'tensorflow', 'webgl', 'webgpu']);
  const byName = Object.fromEntries((await tfjs.availability()).map((p) => [p.name, p]));
  assert.equal(byName.wasm.available, true, byName.wasm.reason);
  assert.equal(byName.cpu.available, true, byName.cpu.reason);
  assert.equal(byName.tensorflow.available, false);
  assert.match(byName.tensorflow.reason!, /tfjs-node is not installed: its install downloads libtensorflow/);
  assert.match(byName.webgl.reason!, /needs a browser/);
  assert.match(byName.webgpu.reason!, /needs a browser/);
  const versions = await tfjs.versions();
  assert.match(versions['@tensorflow/tfjs-core'], /^\d+\.\d+\.\d+/);
  assert.match(versions['@tensorflow/tfjs-backend-wasm'], /^\d+\.\d+\.\d+/);
});

test('an unmapped operator fails session creation naming every unsupported op', async () => {
  const bytes = modelBytes({
    nodes: [
      { op: 'Foo', inputs: ['x'], outputs: ['a'] },
      { op: 'Relu', inputs: ['a'], outputs: ['b'] },
      { op: 'Bar', inputs: ['b'], outputs: ['c'] },
      { op: 'Attention', inputs: ['c'], outputs: ['y'], domain: 'com.microsoft' },
    ],
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 4] }],
    outputs: [{ name: 'y', dtype: 'float32' }],
  });
  await assert.rejects(tfjs.createSession({ bytes }, { provider: 'cpu', settings: {} }), /tfjs cannot run operators Bar, Foo, com\.microsoft\.Attention \(opset \d+\): not implemented/);
});

test('settings and providers that cannot run here fail with the reason', async () => {
  const bytes = modelBytes(convModel);
  await assert.rejects(tfjs.createSession({ bytes }, { provider: 'wasm', settings: { numThreads: 4 } }), /numThreads=4 is not possible: .*blob: URL/);
  await assert.rejects(tfjs.createSession({ bytes }, { provider: 'webgpu', settings: {} }), /needs a browser/);
  await assert.rejects(tfjs.createSession({ bytes }, { provider: 'tensorflow', settings: {} }), /tfjs-node is not installed/);
});

test('sessions report the model IO, free every tensor and keep outputs independent of inputs', async () => {
  for (const provider of ['cpu', 'wasm']) {
    const session = await tfjs.createSession({ bytes: modelBytes(convModel) }, { provider, settings: {} });
    assert.deepEqual(session.inputs, [{ name: 'x', dtype: 'float32', shape: ['batch', 2, 6, 6] }]);
    const before = tf.memory().numTensors;
    const prepared = session.prepare({ x: randomFloats([3, 2, 6, 6], 2) });
    let last: unknown;
    for (let i = 0; i < 5; i++) last = await session.run(prepared);
    assert.equal(tf.memory().numTensors, before + 1, `${provider}: only the prepared input stays between runs`);
    const out = await session.readOutputs(last);
    assert.deepEqual(out.y.shape, [3, 3, 6, 6]);
    assert.ok((out.y.data as Float32Array).every((v) => v >= 0), 'Relu output is non-negative');
    await session.dispose();
    assert.equal(tf.memory().numTensors, 0, `${provider}: dispose frees every tensor`);
  }
});
