/**
 * tfjs on its WebAssembly backend: the models fuzzing found that fault
 * inside a wasm kernel are refused with the node named before any kernel
 * runs, a fault that happens anyway is followed by a fresh backend (never
 * by the end of the process), and a good model runs after all of them in
 * the same process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { load } from '../src/api/load.js';
import type { HostTensor } from '../src/runtimes/runtime.js';
import { modelBytes, randomFloats, ints, float, type GraphSpec } from './tfjs-helpers.js';
import { tempDir, writeModel } from './helpers/models.js';

/** The fuzz suite's first base model: Conv, BatchNormalization, Relu, MaxPool. */
const cnn = (convAttrs: GraphSpec['nodes'][0]['attrs'], width: number): GraphSpec => ({
  nodes: [
    { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]), strides: ints([1, 1]), ...convAttrs } },
    { op: 'BatchNormalization', inputs: ['c', 's', 'bb', 'm', 'v'], outputs: ['n'], attrs: { epsilon: float(1e-5) } },
    { op: 'Relu', inputs: ['n'], outputs: ['r'] },
    { op: 'MaxPool', inputs: ['r'], outputs: ['y'], attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]) } },
  ],
  inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 6, width] }],
  initializers: {
    w: randomFloats([3, 2, 3, 3], 1), b: randomFloats([3], 2), s: randomFloats([3], 3), bb: randomFloats([3], 4), m: randomFloats([3], 5),
    v: { dtype: 'float32', shape: [3], data: Float32Array.from([1, 2, 3]) },
  },
  outputs: [{ name: 'y', dtype: 'float32' }],
});

const dir = tempDir('infermark-wasm-faults-');
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Found by the fuzz suite (seed 20261127, case 170): a stride of 2^32 wraps to 0 in the wasm kernel. */
const WRAPPING_STRIDE = writeModel(dir, 'stride-2-32.onnx', modelBytes(cnn({ strides: ints([2 ** 32, 3]) }, 6)));
/** Found by the fuzz suite (case 273): an input one pixel wide reaches a 2x2 max pool. */
const NARROW = writeModel(dir, 'narrow.onnx', modelBytes(cnn({}, 1)));
const GOOD = writeModel(dir, 'good.onnx', modelBytes(cnn({}, 6)));

function input(width: number): Record<string, HostTensor> {
  return { x: { dtype: 'float32', shape: [1, 2, 6, width], data: new Float32Array(12 * width).fill(0.5) } };
}

async function predictOnce(file: string, width: number): Promise<number[]> {
  const model = await load(file, { runtime: 'tfjs', provider: 'wasm' });
  try {
    return [...(await model.predict(input(width))).y.shape];
  } finally {
    await model.dispose();
  }
}

const listeners = () => process.listeners('uncaughtException').length + process.listeners('unhandledRejection').length;

test('tfjs wasm: the fuzz-found models are refused with the node named, then a good model runs in the same process', async () => {
  const before = listeners();
  for (let round = 0; round < 3; round++) {
    await assert.rejects(predictOnce(WRAPPING_STRIDE, 6), /node "Conv_0" \(Conv\): attribute strides holds 4294967296; tfjs kernels take 32-bit integers/);
    await assert.rejects(predictOnce(NARROW, 1), /node "MaxPool_3" \(MaxPool\): its window spans 2 on spatial axis 1 but the padded input there is only 1 long/);
  }
  assert.deepEqual(await predictOnce(GOOD, 6), [1, 3, 3, 3]);
  // The Emscripten module's process-wide rethrowing handlers would turn any later uncaught error into exit 7.
  assert.equal(listeners(), before, 'starting the wasm backend left process-wide exception handlers behind');
});

test('tfjs wasm: kernel faults many times in a row never end the process, and each next load() and predict() work', async () => {
  const before = listeners();
  for (let fault = 0; fault < 6; fault++) {
    // Made by hand past the importer's checks: XNNPACK refuses a window taller than its input, and the kernel writes out of bounds.
    assert.throws(() => tf.maxPool(tf.ones([1, 1, 6, 3]) as tf.Tensor4D, [2, 2], [2, 2], 'valid').dataSync(), /memory access out of bounds/);
    assert.deepEqual(await predictOnce(GOOD, 6), [1, 3, 3, 3], `after fault ${fault + 1}`);
  }
  assert.equal(listeners(), before, 'a rebuilt wasm backend left process-wide exception handlers behind');
});
