/**
 * The torch importer's transformer and shape operators against
 * onnxruntime-node, with shape arguments both known at import (initializers)
 * and computed at run time (Shape -> Gather -> Concat chains); one shared worker.
 */
import { after, test } from 'node:test';
import { expectAgreement, f32, i64, randomFloats, skipTorch, startWorker, type AttrValue, type GraphSpec, type NodeSpec } from './torch-helpers.js';

const worker = skipTorch ? undefined : startWorker();
after(() => worker?.close());
const skip = skipTorch;

const X = (shape: (number | string)[]) => ({ name: 'x', dtype: 'float32' as const, shape });
const Y = [{ name: 'y', dtype: 'float32' as const }];
const one = (op: string, inputs: string[], attrs: Record<string, AttrValue> | undefined, shape: number[], initializers: GraphSpec['initializers'] = {}, opset = 17): GraphSpec =>
  ({ nodes: [{ op, inputs, outputs: ['y'], attrs }], inputs: [X(shape)], initializers, outputs: Y, opset });
const feed = (shape: number[], seed = 1) => ({ x: randomFloats(shape, seed) });

test('LayerNormalization, Softmax, ReduceMean/Sum/Max, Erf-based GELU, Tanh', { skip }, async () => {
  const cases: [string, GraphSpec, number[]][] = [
    ['LayerNormalization last axis', one('LayerNormalization', ['x', 's', 'b'], { epsilon: { f: 1e-12 } }, [2, 5, 8], { s: randomFloats([8], 2, 0.5, 1.5), b: randomFloats([8], 3) }), [2, 5, 8]],
    ['LayerNormalization axis -2, no bias', one('LayerNormalization', ['x', 's'], { axis: -2 }, [2, 5, 8], { s: randomFloats([5, 8], 2) }), [2, 5, 8]],
    ['LayerNormalization, scale broadcast over axis -2', one('LayerNormalization', ['x', 's', 'b'], { axis: -2 }, [2, 5, 8], { s: randomFloats([8], 2), b: randomFloats([1, 8], 4) }), [2, 5, 8]],
    ['ReduceMean keepdims (attribute axes, opset 13)', one('ReduceMean', ['x'], { axes: [-1] }, [2, 5, 8], {}, 13), [2, 5, 8]],
    ['ReduceMean axes input (opset 18)', one('ReduceMean', ['x', 'a'], { keepdims: 0 }, [2, 5, 8], { a: i64([2], [0, 2]) }, 18), [2, 5, 8]],
    ['ReduceSum axes input', one('ReduceSum', ['x', 'a'], undefined, [2, 5, 8], { a: i64([1], [1]) }), [2, 5, 8]],
    ['ReduceMax all axes', one('ReduceMax', ['x'], { keepdims: 0 }, [2, 5, 8], {}, 13), [2, 5, 8]],
    ['Softmax axis 1', one('Softmax', ['x'], { axis: 1 }, [2, 5, 8]), [2, 5, 8]],
    ['LogSoftmax', one('LogSoftmax', ['x'], undefined, [2, 5, 8]), [2, 5, 8]],
  ];
  for (const [name, spec, shape] of cases) await expectAgreement(worker!, name, spec, feed(shape, 5), ['eager', 'torchscript']);
  const gelu: GraphSpec = {
    nodes: [
      { op: 'Div', inputs: ['x', 'sqrt2'], outputs: ['d'] }, { op: 'Erf', inputs: ['d'], outputs: ['e'] },
      { op: 'Add', inputs: ['e', 'one'], outputs: ['a'] }, { op: 'Mul', inputs: ['x', 'a'], outputs: ['m'] },
      { op: 'Mul', inputs: ['m', 'half'], outputs: ['g'] }, { op: 'Tanh', inputs: ['g'], outputs: ['y'] },
    ],
    inputs: [X([2, 4, 6])], initializers: { sqrt2: f32([], [Math.SQRT2]), one: f32([], [1]), half: f32([], [0.5]) }, outputs: Y,
  };
  await expectAgreement(worker!, 'GELU (erf) then Tanh', gelu, feed([2, 4, 6], 6));
});

test('Gather (embeddings, scalar and negative indices), Unsqueeze, Squeeze, Cast, Equal, Where, Expand', { skip }, async () => {
  const ids = { name: 'ids', dtype: 'int64' as const, shape: [2, 5] };
  const embed: GraphSpec = {
    nodes: [{ op: 'Gather', inputs: ['table', 'ids'], outputs: ['y'] }],
    inputs: [ids], initializers: { table: randomFloats([10, 4], 1) }, outputs: Y,
  };
  await expectAgreement(worker!, 'Gather embedding', embed, { ids: i64([2, 5], [0, 3, 9, 2, 2, 1, 7, -1, 4, 0]) }, ['eager', 'torchscript']);
  const cases: [string, GraphSpec, number[]][] = [
    ['Gather scalar index axis 1', one('Gather', ['x', 'i'], { axis: 1 }, [2, 5, 3], { i: i64([], [-2]) }), [2, 5, 3]],
    ['Unsqueeze axes input', one('Unsqueeze', ['x', 'a'], undefined, [2, 3], { a: i64([2], [1, -1]) }), [2, 3]],
    ['Unsqueeze attribute axes (opset 11)', one('Unsqueeze', ['x'], { axes: [0] }, [2, 3], {}, 11), [2, 3]],
    ['Squeeze axes input', one('Squeeze', ['x', 'a'], undefined, [2, 1, 3, 1], { a: i64([1], [3]) }), [2, 1, 3, 1]],
    ['Squeeze all', one('Squeeze', ['x'], undefined, [2, 1, 3, 1]), [2, 1, 3, 1]],
    ['Expand', one('Expand', ['x', 's'], undefined, [3, 1], { s: i64([3], [2, 3, 4]) }), [3, 1]],
    ['Tile', one('Tile', ['x', 'r'], undefined, [2, 3], { r: i64([2], [2, 1]) }), [2, 3]],
  ];
  for (const [name, spec, shape] of cases) await expectAgreement(worker!, name, spec, feed(shape, 7), ['eager', 'torchscript']);
  const mask: GraphSpec = {
    nodes: [
      { op: 'Cast', inputs: ['m'], outputs: ['mf'], attrs: { to: 1 } },
      { op: 'Equal', inputs: ['m', 'zero'], outputs: ['eq'] },
      { op: 'Where', inputs: ['eq', 'neg', 'mf'], outputs: ['w'] },
      { op: 'Unsqueeze', inputs: ['w', 'ax'], outputs: ['y'] },
    ],
    inputs: [{ name: 'm', dtype: 'int64', shape: [2, 4] }],
    initializers: { zero: i64([], [0]), neg: f32([], [-10000]), ax: i64([2], [1, 2]) },
    outputs: Y,
  };
  await expectAgreement(worker!, 'attention mask (Cast, Equal, Where, Unsqueeze)', mask, { m: i64([2, 4], [1, 1, 0, 0, 1, 1, 1, 0]) }, ['eager', 'torchscript']);
});

test('Slice (negative, stepped, reversed), Split, Pad, Concat of shapes, Constant, ConstantOfShape, Range', { skip }, async () => {
  const cases: [string, GraphSpec, number[]][] = [
    ['Slice ends past the end', one('Slice', ['x', 's', 'e'], undefined, [4, 6], { s: i64([1], [1]), e: i64([1], [100]) }), [4, 6]],
    ['Slice axes and steps', one('Slice', ['x', 's', 'e', 'a', 'st'], undefined, [4, 6], { s: i64([2], [0, -1]), e: i64([2], [6, -7]), a: i64([2], [1, 0]), st: i64([2], [2, -1]) }), [4, 6]],
    ['Slice reversed with step -2', one('Slice', ['x', 's', 'e', 'a', 'st'], undefined, [4, 7], { s: i64([1], [-1]), e: i64([1], [-100]), a: i64([1], [1]), st: i64([1], [-2]) }), [4, 7]],
    ['Pad constant with value', one('Pad', ['x', 'p', 'v'], undefined, [2, 3, 4], { p: i64([6], [0, 1, 2, 0, 0, 1]), v: f32([], [0.5]) }), [2, 3, 4]],
    ['Pad reflect', one('Pad', ['x', 'p'], { mode: 'reflect' }, [1, 2, 5, 5], { p: i64([8], [0, 0, 1, 2, 0, 0, 2, 1]) }), [1, 2, 5, 5]],
    ['Pad edge', one('Pad', ['x', 'p'], { mode: 'edge' }, [1, 2, 5, 5], { p: i64([8], [0, 0, 1, 1, 0, 0, 1, 1]) }), [1, 2, 5, 5]],
  ];
  for (const [name, spec, shape] of cases) await expectAgreement(worker!, name, spec, feed(shape, 8), ['eager', 'torchscript']);
  const split: GraphSpec = {
    nodes: [{ op: 'Split', inputs: ['x', 'sz'], outputs: ['a', 'b'], attrs: { axis: 1 } }, { op: 'Sub', inputs: ['a', 'b'], outputs: ['y'] }],
    inputs: [X([2, 6])], initializers: { sz: i64([2], [3, 3]) }, outputs: Y,
  };
  await expectAgreement(worker!, 'Split into equal parts then Sub', split, feed([2, 6], 9));
  const splitEven: GraphSpec = {
    nodes: [{ op: 'Split', inputs: ['x'], outputs: ['a', 'b', 'c'], attrs: { axis: -1 } }],
    inputs: [X([2, 6])], outputs: [{ name: 'a', dtype: 'float32' }, { name: 'b', dtype: 'float32' }, { name: 'c', dtype: 'float32' }], opset: 13,
  };
  await expectAgreement(worker!, 'Split without sizes (equal parts)', splitEven, feed([2, 6], 9));
  const constants: GraphSpec = {
    nodes: [
      { op: 'Constant', inputs: [], outputs: ['c'], attrs: { value: f32([3], [1, 2, 3]) } },
      { op: 'Constant', inputs: [], outputs: ['shape'], attrs: { value_ints: [2, 3] } },
      { op: 'ConstantOfShape', inputs: ['shape'], outputs: ['ones'], attrs: { value: f32([1], [1]) } },
      { op: 'Range', inputs: ['start', 'limit', 'delta'], outputs: ['r'] },
      { op: 'Mul', inputs: ['x', 'c'], outputs: ['m'] }, { op: 'Add', inputs: ['m', 'ones'], outputs: ['a'] },
      { op: 'Add', inputs: ['a', 'r'], outputs: ['y'] },
    ],
    inputs: [X([2, 3])], initializers: { start: f32([], [0]), limit: f32([], [3]), delta: f32([], [1]) }, outputs: Y,
  };
  await expectAgreement(worker!, 'Constant, ConstantOfShape, Range (folded at import)', constants, feed([2, 3], 10), ['eager', 'torchscript']);
});

test('shapes computed at run time: Shape -> Gather -> Unsqueeze -> Concat -> Reshape, as PyTorch exporters write it', { skip }, async () => {
  const nodes: NodeSpec[] = [
    { op: 'Shape', inputs: ['x'], outputs: ['sh'] },
    { op: 'Gather', inputs: ['sh', 'i0'], outputs: ['b'], attrs: { axis: 0 } },
    { op: 'Gather', inputs: ['sh', 'i1'], outputs: ['s'], attrs: { axis: 0 } },
    { op: 'Unsqueeze', inputs: ['b', 'ax'], outputs: ['bu'] },
    { op: 'Unsqueeze', inputs: ['s', 'ax'], outputs: ['su'] },
    { op: 'Concat', inputs: ['bu', 'su', 'heads', 'minus1'], outputs: ['target'], attrs: { axis: 0 } },
    { op: 'Reshape', inputs: ['x', 'target'], outputs: ['r'] },
    { op: 'Transpose', inputs: ['r'], outputs: ['t'], attrs: { perm: [0, 2, 1, 3] } },
    { op: 'MatMul', inputs: ['t', 'tt'], outputs: ['scores'] },
    { op: 'Softmax', inputs: ['scores'], outputs: ['y'], attrs: { axis: -1 } },
  ];
  const spec: GraphSpec = {
    nodes: [...nodes.slice(0, 8), { op: 'Transpose', inputs: ['t'], outputs: ['tt'], attrs: { perm: [0, 1, 3, 2] } }, ...nodes.slice(8)],
    inputs: [X(['batch', 'seq', 8])],
    initializers: { i0: i64([], [0]), i1: i64([], [1]), ax: i64([1], [0]), heads: i64([1], [2]), minus1: i64([1], [-1]) },
    outputs: Y,
  };
  await expectAgreement(worker!, 'attention reshape, batch 2 seq 5', spec, feed([2, 5, 8], 11), ['eager', 'torchscript']);
  await expectAgreement(worker!, 'attention reshape, batch 1 seq 3', spec, feed([1, 3, 8], 12), ['eager']);
  await expectAgreement(worker!, 'Shape with start and end, Size', {
    nodes: [
      { op: 'Shape', inputs: ['x'], outputs: ['sh'], attrs: { start: 1, end: -1 } }, { op: 'Size', inputs: ['x'], outputs: ['n'] },
      { op: 'Cast', inputs: ['sh'], outputs: ['shf'], attrs: { to: 1 } }, { op: 'Cast', inputs: ['n'], outputs: ['nf'], attrs: { to: 1 } },
      { op: 'Add', inputs: ['shf', 'nf'], outputs: ['y'] },
    ],
    inputs: [X([2, 3, 4, 5])], outputs: Y,
  }, feed([2, 3, 4, 5], 13));
});
