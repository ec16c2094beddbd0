/**
 * load().predict() faithful to ONNX: named feeds of any shape, scalars, exact
 * output shapes (rank 0 included), a model without inputs, batching only
 * when asked and along the declared batch axis; one-line errors for feeds
 * that do not fit the model. On ort-node and tfjs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from '../src/onnx/read.js';
import { load } from '../src/api/load.js';
import type { HostTensor } from '../src/runtimes/runtime.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
type Dim = number | string;

function vi(name: string, dims: Dim[]) {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}

function write(dir: string, name: string, graph: Parameters<typeof onnx.GraphProto.create>[0]): string {
  const file = join(dir, name);
  writeFileSync(file, onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph }).finish());
  return file;
}

const f32 = (shape: number[], values: number[]): HostTensor => ({ dtype: 'float32', shape, data: Float32Array.from(values) });
const RUNTIMES = ['ort-node', 'tfjs'];

function models(dir: string) {
  return {
    // y = a + b with a scalar a; total = sum of y as a rank-0 tensor.
    scalar: write(dir, 'scalar.onnx', {
      name: 'scalar',
      node: [
        { opType: 'Add', input: ['a', 'b'], output: ['y'] },
        { opType: 'ReduceSum', input: ['y'], output: ['total'], attribute: [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] },
      ],
      input: [vi('a', []), vi('b', [2, 3])],
      output: [vi('y', [2, 3]), vi('total', [])],
    }),
    // No inputs at all: a constant.
    constant: write(dir, 'constant.onnx', {
      name: 'constant',
      node: [{ opType: 'Constant', output: ['c'], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dataType: FLOAT, dims: [2], floatData: [1.5, -2] } }] }],
      output: [vi('c', [2])],
    }),
    // A recurrent-style state batched on axis 1, a batched x, and a fixed lookup table.
    state: write(dir, 'state.onnx', {
      name: 'state',
      node: [
        { opType: 'Add', input: ['h', 'x'], output: ['y'] },
        { opType: 'Add', input: ['table', 'table'], output: ['t'] },
      ],
      input: [vi('h', [2, 'batch_size', 3]), vi('x', ['batch_size', 3]), vi('table', [4])],
      output: [vi('y', [2, 'batch_size', 3]), vi('t', [4])],
    }),
  };
}

for (const runtime of RUNTIMES) {
  test(`${runtime}: scalars, exact output shapes, a model without inputs`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infermark-predict-'));
    try {
      const m = models(dir);
      const scalar = await load(m.scalar, { runtime });
      const out = await scalar.predict({ a: f32([], [10]), b: f32([2, 3], [1, 2, 3, 4, 5, 6]) });
      assert.deepEqual(out.y.shape, [2, 3]);
      assert.deepEqual([...out.y.data], [11, 12, 13, 14, 15, 16]);
      assert.deepEqual(out.total.shape, []);
      assert.deepEqual([...out.total.data], [81]);
      await scalar.dispose();

      const constant = await load(m.constant, { runtime });
      const c = await constant.predict();
      assert.deepEqual(c.c.shape, [2]);
      assert.deepEqual([...c.c.data], [1.5, -2]);
      await constant.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${runtime}: batchSize splits only the inputs with the batch axis (axis 1 here) and joins only the outputs with it`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infermark-predict-'));
    try {
      const m = models(dir);
      const rows = 5;
      const h = f32([2, rows, 3], Array.from({ length: 2 * rows * 3 }, (_, i) => i));
      const x = f32([rows, 3], Array.from({ length: rows * 3 }, (_, i) => 100 * i));
      const table = f32([4], [1, 2, 3, 4]);
      const whole = await load(m.state, { runtime });
      const expected = await whole.predict({ h, x, table });
      await whole.dispose();
      const batched = await load(m.state, { runtime, batchSize: 2 });
      const got = await batched.predict({ h, x, table });
      await batched.dispose();
      assert.deepEqual(got.y.shape, [2, rows, 3]);
      assert.deepEqual([...got.y.data], [...expected.y.data]);
      assert.deepEqual(got.t.shape, [4]);
      assert.deepEqual([...got.t.data], [2, 4, 6, 8]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('feeds that do not fit the model are one-line errors naming the input', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'infermark-predict-'));
  try {
    const m = models(dir);
    const model = await load(m.scalar, { runtime: 'ort-node' });
    const b = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    await assert.rejects(model.predict({ a: f32([], [1]), b, c: b }), /x\.c: the model has no input "c"; its inputs: a, b/);
    await assert.rejects(model.predict({ b }), /x\.a: missing; the model declares input a as float32 \[\]/);
    await assert.rejects(model.predict({ a: { dtype: 'int32', shape: [], data: Int32Array.from([1]) }, b }), /x\.a: dtype int32 given; the model declares float32 \[\]/);
    await assert.rejects(model.predict({ a: f32([], [1]), b: f32([3, 2], [1, 2, 3, 4, 5, 6]) }), /x\.b: shape \[3, 2\] given; the model declares float32 \[2, 3\]/);
    await assert.rejects(model.predict({ a: f32([], [1]), b: f32([2, 3], [1]) }), /x\.b: 1 values given for shape \[2, 3\] \(6 expected\)/);
    await assert.rejects(model.predict(b), /x: the model has 2 inputs \(a, b\); pass an object keyed by input name/);
    await model.dispose();
    await assert.rejects(load(m.state, { runtime: 'ort-node', batchSize: 2, batchDim: 'N' }), /batchDim: no input has a dimension named "N"; the model's symbolic dimensions: batch_size/);
    await assert.rejects(load(m.state, { runtime: 'ort-node', batchSize: 0 }), /batchSize: 0 is not valid/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
