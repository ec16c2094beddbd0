/** The FLOP counter on small hand-built graphs with counts worked out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../src/onnx/builder.js';
import { float32, int64 } from '../src/onnx/tensors.js';
import { countFlops, inferShapes } from '../src/onnx/flops.js';
import { decodeModel } from '../src/onnx/read.js';
import { toGraphIR } from '../src/onnx/ir.js';
import type { GraphBuilder as GB } from '../src/onnx/builder.js';

/** Through bytes and back, as a user's file would come in. */
const ir = (g: GB, opset = 17) => toGraphIR(decodeModel(g.toBytes({ opset })));

test('a grouped convolution: out elements x (C/group) x k x k, plus bias', () => {
  const g = new GraphBuilder('grouped');
  const x = g.input('x', 'float32', ['batch', 8, 10, 10]);
  const w = g.initializer('w', float32([16, 2, 3, 3])); // group 4: 8/4 = 2 input channels per group
  const b = g.initializer('b', float32([16]));
  const y = g.node('Conv', [x, w, b], { group: 4, kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  g.output(y, 'float32', ['batch', 16, 5, 5]);
  const r = countFlops(ir(g), { batch: 3 });
  const macs = 16 * 5 * 5 * 2 * 3 * 3; // per item
  assert.equal(r.macsPerItem, macs);
  assert.equal(r.flopsPerItem, 2 * macs + 16 * 5 * 5);
  assert.deepEqual(r.byOpType.Conv, { count: 1, macs, flops: 2 * macs + 400 });
  assert.deepEqual(r.uncounted, []);
});

test('a depthwise convolution with SAME_UPPER padding, and pooling', () => {
  const g = new GraphBuilder('dw');
  const x = g.input('x', 'float32', [1, 6, 7, 7]);
  const y = g.node('Conv', [x, g.initializer('w', float32([6, 1, 5, 5]))], { group: 6, auto_pad: 'SAME_UPPER', strides: [2, 2] });
  const p = g.node('MaxPool', [y], { kernel_shape: [2, 2], strides: [2, 2] });
  const q = g.node('GlobalAveragePool', [p]);
  g.output(q, 'float32', [1, 6, 1, 1]);
  const graph = ir(g);
  const shapes = inferShapes(graph, { batch: 1 });
  assert.deepEqual(shapes.get(y), [1, 6, 4, 4]);
  assert.deepEqual(shapes.get(p), [1, 6, 2, 2]);
  const r = countFlops(graph, { batch: 1 });
  assert.equal(r.macsPerItem, 6 * 4 * 4 * 25);
  assert.equal(r.byOpType.MaxPool.flops, 6 * 2 * 2 * 4);
  assert.equal(r.byOpType.GlobalAveragePool.flops, 6 * 2 * 2);
});

test('a batched matrix product with broadcasting, and a Gemm with transposed B', () => {
  const g = new GraphBuilder('mm');
  const a = g.input('a', 'float32', ['batch', 4, 5, 6]);
  const b = g.initializer('b', float32([6, 7])); // broadcast over [batch, 4]
  const c = g.node('MatMul', [a, b]);
  const bb = g.input('bb', 'float32', ['batch', 4, 7, 3]);
  const d = g.node('MatMul', [c, bb]); // [batch, 4, 5, 3], K = 7
  const flat = g.node('Flatten', [d], { axis: 1 });
  const e = g.node('Gemm', [flat, g.initializer('w', float32([2, 60])), g.initializer('bias', float32([2]))], { transB: 1 });
  g.output(e, 'float32', ['batch', 2]);
  const r = countFlops(ir(g), { batch: 2 });
  const mm = 4 * 5 * 7 * 6 + 4 * 5 * 3 * 7;
  const gemm = 2 * 60;
  assert.equal(r.byOpType.MatMul.macs, mm);
  assert.equal(r.byOpType.MatMul.count, 2);
  assert.equal(r.byOpType.Gemm.macs, gemm);
  assert.equal(r.macsPerItem, mm + gemm);
  assert.equal(r.flopsPerItem, 2 * (mm + gemm) + 2);
});

test('ConvTranspose counts every input element times (M/group) x k x k', () => {
  const g = new GraphBuilder('deconv');
  const x = g.input('x', 'float32', [1, 4, 3, 3]);
  const y = g.node('ConvTranspose', [x, g.initializer('w', float32([4, 2, 3, 3]))], { strides: [2, 2] });
  g.output(y, 'float32', [1, 2, 7, 7]);
  const graph = ir(g);
  assert.deepEqual(inferShapes(graph, { batch: 1 }).get(y), [1, 2, 7, 7]);
  assert.equal(countFlops(graph, { batch: 1 }).macsPerItem, 4 * 3 * 3 * 2 * 9);
});

test('a shape computed at run time (Shape -> Gather -> Concat -> Reshape) is followed', () => {
  const g = new GraphBuilder('dynamic-reshape');
  const x = g.input('x', 'float32', ['batch', 'seq', 8]);
  const n = g.node('Gather', [g.node('Shape', [x]), g.constant('i0', int64([0]))], { axis: 0 });
  const shape = g.node('Concat', [n, g.constant('rest', int64([-1, 2, 4]))], { axis: 0 });
  const r4 = g.node('Reshape', [x, shape]);
  const t = g.node('Transpose', [r4], { perm: [0, 2, 1, 3] });
  const s = g.node('Softmax', [t], { axis: -1 });
  const ln = g.node('LayerNormalization', [x, g.initializer('gamma', float32([8])), g.initializer('beta', float32([8]))], { axis: -1 });
  g.output(s, 'float32', ['batch', 2, 'seq', 4]);
  g.output(ln, 'float32', ['batch', 'seq', 8]);
  const graph = ir(g);
  assert.deepEqual(inferShapes(graph, { batch: 3, dims: { seq: 5 } }).get(s), [3, 2, 5, 4]);
  const r = countFlops(graph, { batch: 3, dims: { seq: 5 } });
  assert.equal(r.byOpType.Softmax.flops, 3 * 40);
  assert.equal(r.byOpType.LayerNormalization.flops, 5 * 40);
  assert.equal(r.macsPerItem, 0);
  assert.throws(() => countFlops(graph, { batch: 3 }), /dimension 1 is symbolic \("seq"\); give its size with --dim seq=N/);
});

test('an unknown operator counts as zero and is listed; later nodes are still counted', () => {
  const g = new GraphBuilder('custom');
  const x = g.input('x', 'float32', [1, 4]);
  const y = g.node('FancyAct', [x], {}, { domain: 'com.example' });
  const z = g.node('Gemm', [y, g.initializer('w', float32([4, 3]))]);
  const bad = g.node('Reshape', [z, g.input('dyn_shape', 'int64', [2])]);
  g.output(bad, 'float32', [3, 1]);
  const r = countFlops(toGraphIR(decodeModel(g.toBytes({ opset: 17, extraOpsets: { 'com.example': 1 } }))), { batch: 1 });
  assert.equal(r.macsPerItem, 12);
  assert.deepEqual(r.uncounted, ['Reshape (shape not inferable)', 'com.example.FancyAct']);
  assert.equal(r.byOpType.FancyAct.count, 1);
});

test('a zoo model at opset 13 (Unsqueeze axes as input, LayerNorm decomposed) counts the same MACs as at 17', async () => {
  const { buildZoo } = await import('../src/zoo/build.js');
  const at = (opset: number) => countFlops(buildZoo('bert-tiny', { opset }).g.toGraphIR({ opset }), { batch: 2 });
  const a = at(13);
  const b = at(17);
  assert.equal(a.macsPerItem, b.macsPerItem);
  assert.deepEqual(a.uncounted, []);
  assert.ok(a.byOpType.ReduceMean && !a.byOpType.LayerNormalization);
});
