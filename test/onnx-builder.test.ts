import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, float } from '../src/onnx/builder.js';
import { float32, int64, type LazyTensor } from '../src/onnx/tensors.js';
import { decodeModel, modelIO } from '../src/onnx/read.js';
import { toGraphIR } from '../src/onnx/ir.js';

function convModel(): GraphBuilder {
  const g = new GraphBuilder('conv');
  const x = g.input('x', 'float32', ['batch', 2, 4, 4]);
  const w = g.initializer('w', float32([3, 2, 3, 3], Array.from({ length: 54 }, (_, i) => (i % 7) / 10)));
  const b = g.initializer('b', float32([3], [0.5, -0.5, 1]));
  const y = g.node('Conv', [x, w, b], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  const r = g.node('LeakyRelu', [y], { alpha: float(0.1) });
  const s = g.node('Reshape', [r, g.constant('shape', int64([0, -1]))]);
  g.output(s, 'float32', ['batch', 48]);
  return g;
}

test('a built model decodes, round-trips through GraphIR and runs in onnxruntime', async () => {
  const bytes = convModel().toBytes({ opset: 17 });
  const model = decodeModel(bytes);
  assert.deepEqual(modelIO(model).inputs, [{ name: 'x', dtype: 'float32', shape: ['batch', 2, 4, 4] }]);
  const ir = toGraphIR(model);
  assert.equal(ir.opset, 17);
  assert.deepEqual(ir.nodes.map((n) => n.opType), ['Conv', 'LeakyRelu', 'Reshape']);
  assert.deepEqual(ir.nodes[0].attrs.kernel_shape, [3, 3]);
  assert.ok(Math.abs((ir.nodes[1].attrs.alpha as number) - 0.1) < 1e-7);
  assert.deepEqual([...ir.initializers.get('b')!.data], [0.5, -0.5, 1]);
  for (const level of ['disabled', 'all'] as const) {
    const s = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: level });
    const out = await s.run({ x: new ort.Tensor('float32', new Float32Array(2 * 32).fill(1), [2, 2, 4, 4]) });
    assert.deepEqual(out[s.outputNames[0]].dims, [2, 48]);
    await s.release();
  }
});

test('integer-valued attributes that ONNX defines as floats are written as floats', () => {
  const g = new GraphBuilder('clip');
  const x = g.input('x', 'float32', [2]);
  const y = g.node('Gemm', [x, x], { alpha: 1, beta: 1, transB: 1 });
  g.output(y, 'float32', [2]);
  const ir = toGraphIR(decodeModel(g.toBytes()));
  const attrs = decodeModel(g.toBytes()).graph!.node![0].attribute!;
  assert.equal(attrs.find((a) => a.name === 'alpha')!.type, 1 /* FLOAT */);
  assert.equal(attrs.find((a) => a.name === 'transB')!.type, 2 /* INT */);
  assert.equal(ir.nodes[0].attrs.transB, 1);
});

test('writeFile streams lazy tensors and writes exactly the bytes of toBytes', async () => {
  const g = convModel();
  const lazy: LazyTensor = {
    dtype: 'float32', shape: [3, 1000],
    *chunks() { for (let k = 0; k < 3; k++) yield new Float32Array(1000).fill(k); },
  };
  g.initializer('big', lazy);
  const dir = mkdtempSync(join(tmpdir(), 'infermark-builder-'));
  try {
    const path = join(dir, 'm.onnx');
    const written = await g.writeFile(path, { opset: 15 });
    const fileBytes = readFileSync(path);
    assert.deepEqual(new Uint8Array(fileBytes), g.toBytes({ opset: 15 }));
    assert.equal(written.sha256, createHash('sha256').update(fileBytes).digest('hex'));
    assert.equal(written.sizeBytes, fileBytes.length);
    const big = toGraphIR(decodeModel(fileBytes)).initializers.get('big')!;
    assert.deepEqual(big.shape, [3, 1000]);
    assert.equal((big.data as Float32Array)[2999], 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the builder refuses undefined inputs and duplicate names with a clear message', () => {
  const g = new GraphBuilder('bad');
  g.input('x', 'float32', [1]);
  assert.throws(() => g.node('Add', ['x', 'nope']), /"nope" is not defined yet/);
  assert.throws(() => g.input('x', 'float32', [1]), /already used/);
});
