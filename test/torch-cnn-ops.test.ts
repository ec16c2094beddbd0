/** The torch importer's CNN operators, op by op, against onnxruntime-node; one shared worker. */
import { after, test } from 'node:test';
import { expectAgreement, f32, i64, randomFloats, skipTorch, startWorker, type AttrValue, type GraphSpec, type NodeSpec } from './torch-helpers.js';

const worker = skipTorch ? undefined : startWorker();
after(() => worker?.close());
const skip = skipTorch;

const X = (shape: number[]) => ({ name: 'x', dtype: 'float32' as const, shape });
const Y = [{ name: 'y', dtype: 'float32' as const }];
const feed = (shape: number[], seed = 1) => ({ x: randomFloats(shape, seed) });

function conv(inC: number, outC: number, k: number, attrs: Record<string, AttrValue>, bias = true): GraphSpec {
  const group = Number(attrs.group ?? 1);
  return {
    nodes: [{ op: 'Conv', inputs: ['x', 'w', ...(bias ? ['b'] : [])], outputs: ['y'], attrs: { kernel_shape: [k, k], ...attrs } }],
    inputs: [X([2, inC, 9, 9])],
    initializers: { w: randomFloats([outC, inC / group, k, k], 11), ...(bias ? { b: randomFloats([outC], 12) } : {}) },
    outputs: Y,
  };
}

test('Conv: pads (even and uneven), strides, dilations, auto_pad, groups, depthwise', { skip }, async () => {
  const cases: [string, number, GraphSpec][] = [
    ['3x3 pad 1', 3, conv(3, 4, 3, { pads: [1, 1, 1, 1] })],
    ['3x3 stride 2, uneven pads', 3, conv(3, 4, 3, { strides: [2, 2], pads: [0, 0, 1, 1] })],
    ['3x3 stride 2, other uneven pads', 3, conv(3, 4, 3, { strides: [2, 2], pads: [1, 0, 0, 2] })],
    ['SAME_UPPER stride 2', 3, conv(3, 4, 3, { strides: [2, 2], auto_pad: 'SAME_UPPER' })],
    ['SAME_LOWER stride 2, even kernel', 3, conv(3, 4, 4, { strides: [2, 2], auto_pad: 'SAME_LOWER' })],
    ['VALID 1x1, no bias', 3, conv(3, 5, 1, { auto_pad: 'VALID' }, false)],
    ['dilation 2', 3, conv(3, 4, 3, { dilations: [2, 2], pads: [2, 2, 2, 2] })],
    ['groups 2', 4, conv(4, 6, 3, { group: 2, pads: [1, 1, 1, 1] })],
    ['depthwise', 4, conv(4, 4, 3, { group: 4, pads: [1, 1, 1, 1] })],
    ['depthwise x2, stride 2', 4, conv(4, 8, 3, { group: 4, strides: [2, 2], pads: [1, 1, 1, 1] })],
  ];
  for (const [name, inC, spec] of cases) await expectAgreement(worker!, name, spec, feed([2, inC, 9, 9]), ['eager', 'torchscript']);
});

test('BatchNormalization (4-D and 2-D) and the activations of the zoo', { skip }, async () => {
  const bnInits = { s: randomFloats([3], 21, 0.5, 1.5), bb: randomFloats([3], 22), m: randomFloats([3], 23), v: randomFloats([3], 24, 0.2, 2) };
  for (const shape of [[2, 3, 5, 5], [4, 3]]) {
    await expectAgreement(worker!, `BatchNormalization ${shape.length}-D`, {
      nodes: [{ op: 'BatchNormalization', inputs: ['x', 's', 'bb', 'm', 'v'], outputs: ['y'], attrs: { epsilon: { f: 1e-3 } } }],
      inputs: [X(shape)], initializers: bnInits, outputs: Y,
    }, feed(shape, 3));
  }
  const unary: [string, Record<string, AttrValue>?][] = [
    ['Relu'], ['Sigmoid'], ['Tanh'], ['Erf'], ['HardSigmoid', { alpha: { f: 0.2 }, beta: { f: 0.5 } }], ['HardSwish'],
    ['LeakyRelu', { alpha: { f: 0.1 } }], ['Exp'], ['Neg'], ['Abs'], ['Softplus'], ['Elu'],
  ];
  for (const [op, attrs] of unary) {
    await expectAgreement(worker!, op, { nodes: [{ op, inputs: ['x'], outputs: ['y'], attrs }], inputs: [X([2, 3, 4, 4])], outputs: Y }, { x: randomFloats([2, 3, 4, 4], 5, -4, 4) });
  }
  await expectAgreement(worker!, 'Sqrt', { nodes: [{ op: 'Sqrt', inputs: ['x'], outputs: ['y'] }], inputs: [X([5])], outputs: Y }, { x: randomFloats([5], 6, 0, 4) });
  await expectAgreement(worker!, 'Clip(0, 6) with bound inputs', {
    nodes: [{ op: 'Clip', inputs: ['x', 'lo', 'hi'], outputs: ['y'] }], inputs: [X([2, 8])],
    initializers: { lo: f32([], [0]), hi: f32([], [6]) }, outputs: Y,
  }, { x: randomFloats([2, 8], 7, -10, 10) });
  await expectAgreement(worker!, 'Clip with only a max', {
    nodes: [{ op: 'Clip', inputs: ['x', '', 'hi'], outputs: ['y'] }], inputs: [X([2, 8])], initializers: { hi: f32([], [0.5]) }, outputs: Y,
  }, { x: randomFloats([2, 8], 7, -10, 10) });
});

test('element-wise arithmetic with broadcasting: Add, Sub, Mul, Div, Pow, Max, Min, Sum', { skip }, async () => {
  for (const op of ['Add', 'Sub', 'Mul', 'Div', 'Max', 'Min', 'Sum']) {
    await expectAgreement(worker!, op, {
      nodes: [{ op, inputs: ['x', 'c'], outputs: ['y'] }], inputs: [X([2, 3, 4])],
      initializers: { c: randomFloats([3, 1], 8, 0.5, 2) }, outputs: Y,
    }, { x: randomFloats([2, 3, 4], 9) });
  }
  await expectAgreement(worker!, 'Pow', {
    nodes: [{ op: 'Pow', inputs: ['x', 'c'], outputs: ['y'] }], inputs: [X([2, 3])], initializers: { c: f32([], [3]) }, outputs: Y,
  }, { x: randomFloats([2, 3], 9) });
  await expectAgreement(worker!, 'integer Clip stays integral', {
    nodes: [{ op: 'Clip', inputs: ['a', 'lo', 'hi'], outputs: ['y'] }],
    inputs: [{ name: 'a', dtype: 'int64', shape: [4] }], initializers: { lo: i64([], [0]), hi: i64([], [5]) }, outputs: [{ name: 'y', dtype: 'int64' }],
  }, { a: i64([4], [-7, 1, 3, 8]) });
  await expectAgreement(worker!, 'integer Div truncates', {
    nodes: [{ op: 'Div', inputs: ['a', 'b'], outputs: ['y'] }],
    inputs: [{ name: 'a', dtype: 'int64', shape: [4] }], initializers: { b: i64([], [2]) }, outputs: [{ name: 'y', dtype: 'int64' }],
  }, { a: i64([4], [-7, -1, 3, 8]) });
});

test('MaxPool, AveragePool (pads, ceil_mode, count_include_pad) and global pools', { skip }, async () => {
  const pool = (op: string, attrs: Record<string, AttrValue>): GraphSpec => ({ nodes: [{ op, inputs: ['x'], outputs: ['y'], attrs }], inputs: [X([2, 3, 9, 9])], outputs: Y });
  const cases: [string, GraphSpec][] = [
    ['max 3x3 s2 p1', pool('MaxPool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] })],
    ['max 2x2 s2 ceil', pool('MaxPool', { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 })],
    ['max SAME_UPPER', pool('MaxPool', { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' })],
    ['max uneven pads', pool('MaxPool', { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1] })],
    ['avg 2x2 s2', pool('AveragePool', { kernel_shape: [2, 2], strides: [2, 2] })],
    ['avg 3x3 p1 excluding pads', pool('AveragePool', { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })],
    ['avg 3x3 p1 including pads', pool('AveragePool', { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 1 })],
    ['avg uneven pads', pool('AveragePool', { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 1, 1, 0] })],
    ['avg uneven pads including pads', pool('AveragePool', { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 1, 1, 0], count_include_pad: 1 })],
    ['global average', pool('GlobalAveragePool', {})],
    ['global max', pool('GlobalMaxPool', {})],
  ];
  for (const [name, spec] of cases) await expectAgreement(worker!, name, spec, feed([2, 3, 9, 9], 4));
});

test('Concat, Flatten, Reshape (0 and -1), Transpose, Gemm, MatMul, Softmax', { skip }, async () => {
  const one = (node: NodeSpec, shape: number[], initializers: GraphSpec['initializers'] = {}, opset = 17): GraphSpec =>
    ({ nodes: [node], inputs: [X(shape)], initializers, outputs: Y, opset });
  const cases: [string, GraphSpec, number[]][] = [
    ['Concat axis 1', one({ op: 'Concat', inputs: ['x', 'c', 'x'], outputs: ['y'], attrs: { axis: 1 } }, [2, 3, 4], { c: randomFloats([2, 2, 4], 3) }), [2, 3, 4]],
    ['Flatten axis 1', one({ op: 'Flatten', inputs: ['x'], outputs: ['y'] }, [2, 3, 4, 5]), [2, 3, 4, 5]],
    ['Flatten axis 0', one({ op: 'Flatten', inputs: ['x'], outputs: ['y'], attrs: { axis: 0 } }, [2, 3, 4]), [2, 3, 4]],
    ['Flatten axis = rank', one({ op: 'Flatten', inputs: ['x'], outputs: ['y'], attrs: { axis: 3 } }, [2, 3, 4]), [2, 3, 4]],
    ['Flatten axis -1', one({ op: 'Flatten', inputs: ['x'], outputs: ['y'], attrs: { axis: -1 } }, [2, 3, 4]), [2, 3, 4]],
    ['Reshape 0, -1', one({ op: 'Reshape', inputs: ['x', 's'], outputs: ['y'] }, [2, 3, 4], { s: i64([3], [0, -1, 2]) }), [2, 3, 4]],
    ['Transpose perm', one({ op: 'Transpose', inputs: ['x'], outputs: ['y'], attrs: { perm: [0, 2, 3, 1] } }, [2, 3, 4, 5]), [2, 3, 4, 5]],
    ['Transpose default', one({ op: 'Transpose', inputs: ['x'], outputs: ['y'] }, [2, 3, 4]), [2, 3, 4]],
    ['Gemm transB, alpha, beta', one({ op: 'Gemm', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { transB: 1, alpha: { f: 0.5 }, beta: { f: 2 } } }, [3, 6], { w: randomFloats([4, 6], 5), b: randomFloats([4], 6) }), [3, 6]],
    ['Gemm no bias', one({ op: 'Gemm', inputs: ['x', 'w'], outputs: ['y'] }, [3, 6], { w: randomFloats([6, 4], 5) }), [3, 6]],
    ['MatMul batched', one({ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }, [2, 3, 6], { w: randomFloats([6, 5], 5) }), [2, 3, 6]],
    ['Softmax last axis', one({ op: 'Softmax', inputs: ['x'], outputs: ['y'] }, [2, 3, 5]), [2, 3, 5]],
    ['Softmax opset 11 (2-D coercion)', one({ op: 'Softmax', inputs: ['x'], outputs: ['y'], attrs: { axis: 1 } }, [2, 3, 5], {}, 11), [2, 3, 5]],
  ];
  for (const [name, spec, shape] of cases) await expectAgreement(worker!, name, spec, feed(shape, 2), ['eager', 'torchscript']);
});

test('a small CNN block (Conv-BN-Relu-MaxPool-Conv-Add-GAP-Flatten-Gemm) in eager and torchscript modes', { skip }, async () => {
  const spec: GraphSpec = {
    nodes: [
      { op: 'Conv', inputs: ['x', 'w1', 'b1'], outputs: ['c1'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { op: 'BatchNormalization', inputs: ['c1', 's', 'bb', 'm', 'v'], outputs: ['n1'] },
      { op: 'Relu', inputs: ['n1'], outputs: ['r1'] },
      { op: 'MaxPool', inputs: ['r1'], outputs: ['p1'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
      { op: 'Conv', inputs: ['p1', 'w2'], outputs: ['c2'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { op: 'Add', inputs: ['c2', 'p1'], outputs: ['a'] },
      { op: 'GlobalAveragePool', inputs: ['a'], outputs: ['g'] },
      { op: 'Flatten', inputs: ['g'], outputs: ['f'] },
      { op: 'Gemm', inputs: ['f', 'fw', 'fb'], outputs: ['y'], attrs: { transB: 1 } },
    ],
    inputs: [X(['batch' as unknown as number, 3, 16, 16])],
    initializers: {
      w1: randomFloats([8, 3, 3, 3], 1), b1: randomFloats([8], 2), s: randomFloats([8], 3, 0.5, 1.5), bb: randomFloats([8], 4),
      m: randomFloats([8], 5), v: randomFloats([8], 6, 0.5, 2), w2: randomFloats([8, 8, 3, 3], 7), fw: randomFloats([10, 8], 8), fb: randomFloats([10], 9),
    },
    outputs: Y,
  };
  await expectAgreement(worker!, 'cnn block batch 2', spec, feed([2, 3, 16, 16], 10), ['eager', 'torchscript']);
  await expectAgreement(worker!, 'cnn block batch 1', spec, feed([1, 3, 16, 16], 11), ['eager']);
});
