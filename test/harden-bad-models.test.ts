/**
 * Models whose declared sizes or attributes lie are refused before any
 * allocation, with the reason; and a failed load never leaves a runtime
 * unusable for the next model in the same process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type onnxProto from 'onnx-proto';
import { onnx, decodeModel } from '../src/onnx/read.js';
import { toGraphIR } from '../src/onnx/ir.js';
import { InputError } from '../src/errors/input-error.js';
import type { Runtime } from '../src/runtimes/runtime.js';
import tfjs from '../src/runtimes/tfjs.js';
import ortNode from '../src/runtimes/ort-node.js';
import ortWeb from '../src/runtimes/ort-web.js';
import torch from '../src/runtimes/torch.js';
import { findTorch } from '../src/runtimes/torch/python.js';
import * as tf from '@tensorflow/tfjs-core';
import { activateBackend } from '../src/runtimes/tfjs/backends.js';
import { modelBytes, randomFloats, ints, float, type GraphSpec } from './tfjs-helpers.js';

const found = await findTorch();
if (!found.ok && process.env.CI === 'true') throw new Error(`CI=true, so the torch tests must run, but: ${found.reason}`);

const conv = (attrs: GraphSpec['nodes'][0]['attrs']): GraphSpec => ({
  nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attrs: { kernel_shape: ints([3, 3]), ...attrs } }],
  inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 6, 6] }],
  initializers: { w: randomFloats([3, 2, 3, 3], 1) },
  outputs: [{ name: 'y', dtype: 'float32' }],
});
const GOOD = modelBytes(conv({ pads: ints([1, 1, 1, 1]) }));
const feeds = { x: { dtype: 'float32' as const, shape: [1, 2, 6, 6], data: new Float32Array(72).fill(1) } };

/** Re-encodes `bytes` with the initializer `w` changed by `edit`. */
function withWeight(bytes: Uint8Array, edit: (t: onnxProto.onnx.ITensorProto) => void): Uint8Array {
  const m = decodeModel(bytes);
  edit(m.graph!.initializer!.find((t) => t.name === 'w')!);
  return onnx.ModelProto.encode(m).finish();
}

const bnModel = (epsilon: number) => modelBytes({
  nodes: [{ op: 'BatchNormalization', inputs: ['x', 's', 'b', 'm', 'v'], outputs: ['y'], attrs: { epsilon: float(epsilon) } }],
  inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 3, 3] }],
  initializers: { s: randomFloats([2], 2), b: randomFloats([2], 3), m: randomFloats([2], 4), v: { dtype: 'float32', shape: [2], data: Float32Array.from([1, 1]) } },
  outputs: [{ name: 'y', dtype: 'float32' }],
});

const bad: [string, Uint8Array, RegExp][] = [
  ['empty pads', modelBytes(conv({ pads: ints([]) })), /node "Conv_0" \(Conv\): attribute pads has 0 values \[\]; allowed: 4/],
  ['a pad of 2^63 - 1', modelBytes(conv({ pads: ints([Number.MAX_SAFE_INTEGER * 1024, 0, 0, 0]) })), /attribute pads holds 9223372036854\d+; allowed: whole numbers >= 0/],
  ['zero strides', modelBytes(conv({ strides: ints([0, 1]) })), /attribute strides holds 0; allowed: whole numbers >= 1/],
  ['NaN epsilon', bnModel(NaN), /attribute epsilon is NaN; allowed: a finite number >= 0/],
  ['raw_data shorter than dims', withWeight(GOOD, (t) => { t.rawData = t.rawData!.subarray(0, 16); }), /tensor "w" declares float32\[3, 2, 3, 3\] \(216 bytes\) but holds 16 bytes/],
  ['raw_data longer than dims', withWeight(GOOD, (t) => { t.rawData = new Uint8Array(400); }), /\(216 bytes\) but holds 400 bytes/],
  ['536,870,912 elements declared, 256 bytes held', withWeight(GOOD, (t) => { t.dims = [8192, 2, 32768, 1]; t.rawData = new Uint8Array(256); }), /declares float32\[8192, 2, 32768, 1\] \(2147483648 bytes\) but holds 256 bytes/],
  ['a negative dim', withWeight(GOOD, (t) => { t.dims = [-3, 2, 3, 3]; }), /tensor "w" has dim -3/],
];

test('declared sizes and attributes are checked before allocation: an InputError with the reason, at once', () => {
  for (const [what, bytes, message] of bad) {
    const started = Date.now();
    assert.throws(() => toGraphIR(decodeModel(bytes)), (err: Error) => {
      assert.ok(err instanceof InputError, `${what}: ${err.message}`);
      assert.match(err.message, message, what);
      return true;
    });
    assert.ok(Date.now() - started < 2000, `${what} took ${Date.now() - started} ms`);
  }
});

async function runGood(rt: Runtime, provider: string): Promise<number[]> {
  const s = await rt.createSession({ bytes: GOOD }, { provider, settings: {} });
  try {
    return [...(await s.readOutputs(await s.run(s.prepare(feeds)))).y.shape];
  } finally {
    await s.dispose();
  }
}

const everyRuntime: [string, Runtime, string, false | string][] = [
  ['tfjs wasm', tfjs, 'wasm', false],
  ['tfjs cpu', tfjs, 'cpu', false],
  ['ort-node', ortNode, 'cpu', false],
  ['ort-web', ortWeb, 'wasm', false],
  ['torch', torch, 'cpu', found.ok ? false : found.reason],
];

for (const [name, rt, provider, skip] of everyRuntime) {
  test(`${name}: every bad model fails its load, and a good model loads and runs after them in the same process`, { skip }, async () => {
    for (const [what, bytes] of bad) {
      // onnxruntime may accept a huge pad at load and fail at run: either way the model fails.
      await assert.rejects(async () => {
        const s = await rt.createSession({ bytes }, { provider, settings: {} });
        try {
          await s.run(s.prepare(feeds));
        } finally {
          await s.dispose();
        }
      }, Error, what);
    }
    assert.deepEqual(await runGood(rt, provider), [1, 3, 6, 6]);
  });
}

test("tfjs wasm: a kernel that corrupts the backend's memory is followed by a rebuilt backend, not a dead process", async () => {
  await activateBackend('wasm', { numThreads: 1, simd: true });
  // The importer refuses every window that faults a wasm kernel, so the fault is made by hand: a max pool
  // whose window is taller than its input makes XNNPACK refuse the operator, and the kernel then writes out of bounds.
  assert.throws(() => tf.maxPool(tf.ones([1, 1, 6, 3]) as tf.Tensor4D, [2, 2], [2, 2], 'valid').dataSync(), /memory access out of bounds/);
  assert.deepEqual(await runGood(tfjs, 'wasm'), [1, 3, 6, 6]);
});
