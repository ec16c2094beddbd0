/** The tfjs importer's transformer (BERT) and shape operators, against onnxruntime-node on cpu and wasm. */
import { test } from 'node:test';
import { expectAgreement, float, floats, int, int64s, ints, randomFloats, tensorAttr, type GraphSpec } from './tfjs-helpers.js';
import type { DType } from '../src/runtimes/runtime.js';

const f32 = (name: string, shape: (number | string)[]) => ({ name, dtype: 'float32' as DType, shape });
const out = (name: string, dtype: DType = 'float32') => ({ name, dtype });

test('embeddings, masks and an attention head', async () => {
  const spec: GraphSpec = {
    nodes: [
      { op: 'Gather', inputs: ['words', 'ids'], outputs: ['we'] },
      { op: 'Shape', inputs: ['ids'], outputs: ['ids_shape'] },
      { op: 'Gather', inputs: ['ids_shape', 'one'], outputs: ['seq'], attrs: { axis: int(0) } },
      { op: 'Range', inputs: ['zero', 'seq', 'one'], outputs: ['positions'] },
      { op: 'Gather', inputs: ['pos', 'positions'], outputs: ['pe'] },
      { op: 'Add', inputs: ['we', 'pe'], outputs: ['e'] },
      { op: 'LayerNormalization', inputs: ['e', 'ln_s', 'ln_b'], outputs: ['h'], attrs: { epsilon: float(1e-12) } },
      { op: 'MatMul', inputs: ['h', 'wq'], outputs: ['q0'] },
      { op: 'Add', inputs: ['q0', 'bq'], outputs: ['q1'] },
      { op: 'Reshape', inputs: ['q1', 'heads_shape'], outputs: ['q2'] },
      { op: 'Transpose', inputs: ['q2'], outputs: ['q'], attrs: { perm: ints([0, 2, 1, 3]) } },
      { op: 'Transpose', inputs: ['q2'], outputs: ['kt'], attrs: { perm: ints([0, 2, 3, 1]) } },
      { op: 'MatMul', inputs: ['q', 'kt'], outputs: ['scores0'] },
      { op: 'Div', inputs: ['scores0', 'sqrt_d'], outputs: ['scores1'] },
      { op: 'Unsqueeze', inputs: ['mask', 'mask_axes'], outputs: ['m1'] },
      { op: 'Cast', inputs: ['m1'], outputs: ['m2'], attrs: { to: int(1) } },
      { op: 'Sub', inputs: ['onef', 'm2'], outputs: ['m3'] },
      { op: 'Mul', inputs: ['m3', 'big_neg'], outputs: ['m4'] },
      { op: 'Add', inputs: ['scores1', 'm4'], outputs: ['scores'] },
      { op: 'Softmax', inputs: ['scores'], outputs: ['probs'], attrs: { axis: int(-1) } },
      { op: 'MatMul', inputs: ['probs', 'q'], outputs: ['ctx0'] },
      { op: 'Transpose', inputs: ['ctx0'], outputs: ['ctx1'], attrs: { perm: ints([0, 2, 1, 3]) } },
      { op: 'Reshape', inputs: ['ctx1', 'flat_shape'], outputs: ['ctx'] },
      // GELU written out with Erf, as exporters do.
      { op: 'Div', inputs: ['ctx', 'sqrt2'], outputs: ['g0'] },
      { op: 'Erf', inputs: ['g0'], outputs: ['g1'] },
      { op: 'Add', inputs: ['g1', 'onef'], outputs: ['g2'] },
      { op: 'Mul', inputs: ['ctx', 'g2'], outputs: ['g3'] },
      { op: 'Mul', inputs: ['g3', 'half'], outputs: ['y'] },
      { op: 'Gather', inputs: ['y', 'zero'], outputs: ['first'], attrs: { axis: int(1) } },
      { op: 'Gemm', inputs: ['first', 'wp', 'bp'], outputs: ['pooled0'] },
      { op: 'Tanh', inputs: ['pooled0'], outputs: ['pooled'] },
    ],
    inputs: [{ name: 'ids', dtype: 'int64', shape: ['batch', 'seq'] }, { name: 'mask', dtype: 'int64', shape: ['batch', 'seq'] }],
    initializers: {
      words: randomFloats([20, 8], 1), pos: randomFloats([16, 8], 2), ln_s: randomFloats([8], 3, 0.5, 1.5), ln_b: randomFloats([8], 4),
      wq: randomFloats([8, 8], 5), bq: randomFloats([8], 6), heads_shape: int64s([4], [0, 0, 2, 4]), flat_shape: int64s([3], [0, 0, -1]),
      sqrt_d: floats([], [2]), sqrt2: floats([], [Math.SQRT2]), onef: floats([], [1]), half: floats([], [0.5]), big_neg: floats([], [-10000]),
      one: int64s([], [1]), zero: int64s([], [0]), mask_axes: int64s([2], [1, 2]), wp: randomFloats([8, 3], 7), bp: randomFloats([3], 8),
    },
    outputs: [out('y'), out('pooled')],
  };
  const feeds = {
    ids: int64s([2, 5], [1, 5, 19, 0, 7, 3, 3, 12, 8, 2]),
    mask: int64s([2, 5], [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]),
  };
  await expectAgreement(spec, feeds);
});

test('shape arithmetic: Shape, Slice, Concat, ConstantOfShape, Expand, Where, Equal, Squeeze, Split, Constant', async () => {
  const spec: GraphSpec = {
    nodes: [
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Slice', inputs: ['s', 'st', 'en'], outputs: ['s01'] },
      { op: 'Constant', inputs: [], outputs: ['c'], attrs: { value: tensorAttr(int64s([1], [-1])) } },
      { op: 'Concat', inputs: ['s01', 'c'], outputs: ['shape3'], attrs: { axis: int(0) } },
      { op: 'Reshape', inputs: ['x', 'shape3'], outputs: ['r'] },
      { op: 'Slice', inputs: ['r', 'st2', 'en2', 'ax2', 'step2'], outputs: ['sl'] },
      { op: 'ConstantOfShape', inputs: ['s'], outputs: ['ones'], attrs: { value: tensorAttr(floats([1], [1])) } },
      { op: 'Expand', inputs: ['row', 's'], outputs: ['ex'] },
      { op: 'Equal', inputs: ['ex', 'ones'], outputs: ['eq'] },
      { op: 'Where', inputs: ['eq', 'x', 'ones'], outputs: ['w'] },
      { op: 'Unsqueeze', inputs: ['w', 'ax0'], outputs: ['u'] },
      { op: 'Squeeze', inputs: ['u', 'ax0'], outputs: ['sq'] },
      { op: 'Split', inputs: ['sq', 'splits'], outputs: ['a', 'b'], attrs: { axis: int(-1) } },
      { op: 'ReduceMean', inputs: ['a'], outputs: ['rm'], attrs: { axes: ints([-1]), keepdims: int(1) } },
      { op: 'Sub', inputs: ['b', 'rm'], outputs: ['d'] },
      { op: 'Pow', inputs: ['d', 'two'], outputs: ['p'] },
      { op: 'Add', inputs: ['p', 'eps'], outputs: ['pe'] },
      { op: 'Sqrt', inputs: ['pe'], outputs: ['sqrt'] },
      { op: 'Identity', inputs: ['sqrt'], outputs: ['id'] },
      { op: 'Dropout', inputs: ['id'], outputs: ['y'] },
    ],
    inputs: [f32('x', [2, 3, 4, 2])],
    initializers: {
      st: int64s([1], [0]), en: int64s([1], [2]), st2: int64s([2], [-1, 0]), en2: int64s([2], [-100, 100]), ax2: int64s([2], [1, 2]),
      step2: int64s([2], [-2, 3]), row: floats([2], [1, 0.5]), ax0: int64s([1], [0]),
      splits: int64s([2], [1, 1]), two: floats([], [2]), eps: floats([], [1e-3]),
    },
    outputs: [out('y'), out('s', 'int64'), out('sl')],
  };
  await expectAgreement(spec, { x: randomFloats([2, 3, 4, 2], 9) });
});

test('Softmax on an inner axis (opset 13 and opset 11 semantics), MatMul broadcasting and 1-D operands', async () => {
  for (const opset of [11, 13]) {
    await expectAgreement({
      nodes: [{ op: 'Softmax', inputs: ['x'], outputs: ['y'], attrs: { axis: int(1) } }],
      inputs: [f32('x', [2, 3, 4])], outputs: [out('y')], opset,
    }, { x: randomFloats([2, 3, 4], 5, -3, 3) });
  }
  const mm = (a: number[], b: number[]) => expectAgreement({
    nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] }],
    inputs: [f32('a', a), f32('b', b)], outputs: [out('y')],
  }, { a: randomFloats(a, 1), b: randomFloats(b, 2) });
  await mm([2, 3, 4, 5], [2, 3, 5, 6]);
  await mm([2, 1, 4, 5], [3, 5, 6]);
  await mm([5], [2, 5, 3]);
  await mm([2, 4, 5], [5]);
});
