/**
 * The torch importer's indexing and run-time-shape operators, against
 * onnxruntime-node on seeded inputs; one shared worker.
 */
import { after, test } from 'node:test';
import type { DType, HostTensor } from '../src/runtimes/runtime.js';
import { expectAgreement, f32, i64, randomFloats, skipTorch, startWorker, type AttrValue, type GraphSpec } from './torch-helpers.js';

const worker = skipTorch ? undefined : startWorker();
after(() => worker?.close());
const skip = skipTorch;

type Input = { name: string; dtype: DType; shape: (number | string)[] };
const X = (shape: (number | string)[]): Input => ({ name: 'x', dtype: 'float32', shape });
const out = (name = 'y', dtype: DType = 'float32') => ({ name, dtype });

/** One node reading graph inputs and initializers, with one output y of the given type. */
function one(op: string, inputs: string[], attrs: Record<string, AttrValue>, graphInputs: Input[],
  initializers: Record<string, HostTensor> = {}, outputs = [out()], opset = 18): GraphSpec {
  return { nodes: [{ op, inputs, outputs: outputs.map((o) => o.name), attrs }], inputs: graphInputs, initializers, outputs, opset };
}

test('GatherElements, GatherND, ScatterElements (every reduction), ScatterND, with negative indices', { skip }, async () => {
  const x = randomFloats([3, 4], 1);
  const idx = i64([3, 2], [0, -1, 2, 1, 3, 0]);
  await expectAgreement(worker!, 'GatherElements axis 1', one('GatherElements', ['x', 'i'], { axis: 1 }, [X([3, 4])], { i: idx }), { x });
  await expectAgreement(worker!, 'GatherND batch_dims 1', one('GatherND', ['x', 'i'], { batch_dims: 1 }, [X([2, 3, 4])], { i: i64([2, 2, 1], [0, 2, 1, -1]) }),
    { x: randomFloats([2, 3, 4], 2) });
  for (const reduction of ['none', 'add', 'mul', 'max', 'min']) {
    await expectAgreement(worker!, `ScatterElements reduction ${reduction}`,
      one('ScatterElements', ['x', 'i', 'u'], { axis: 0, reduction }, [X([3, 4])], { i: i64([2, 4], [0, 1, 2, -1, 2, 1, 0, 0]), u: randomFloats([2, 4], 3) }), { x });
  }
  await expectAgreement(worker!, 'ScatterND add with a repeated index',
    one('ScatterND', ['x', 'i', 'u'], { reduction: 'add' }, [X([4, 3])], { i: i64([3, 1], [1, 3, 1]), u: randomFloats([3, 3], 4) }), { x: randomFloats([4, 3], 5) });
});

test('TopK (largest, smallest, ties), NonZero, Trilu, CumSum, ArgMax/ArgMin with select_last_index, Where', { skip }, async () => {
  const ties = f32([2, 5], [1, 3, 3, 0, 3, 2, 2, 5, 5, 1]);
  for (const largest of [1, 0]) {
    await expectAgreement(worker!, `TopK largest=${largest}`, one('TopK', ['x', 'k'], { axis: 1, largest }, [X([2, 5])], { k: i64([1], [3]) },
      [out('v'), out('i', 'int64')]), { x: ties });
  }
  await expectAgreement(worker!, 'NonZero', one('NonZero', ['x'], {}, [X([2, 5])], {}, [out('y', 'int64')]), { x: f32([2, 5], [0, 1, 0, 2, 0, 0, 0, 3, 4, 0]) });
  for (const upper of [1, 0]) {
    await expectAgreement(worker!, `Trilu upper=${upper} k=-1`, one('Trilu', ['x', 'k'], { upper }, [X([2, 4, 5])], { k: i64([], [-1]) }), { x: randomFloats([2, 4, 5], 6) });
  }
  await expectAgreement(worker!, 'CumSum exclusive reverse', one('CumSum', ['x', 'a'], { exclusive: 1, reverse: 1 }, [X([3, 4])], { a: i64([], [1]) }), { x: randomFloats([3, 4], 7) });
  for (const op of ['ArgMax', 'ArgMin']) {
    await expectAgreement(worker!, `${op} select_last_index`, one(op, ['x'], { axis: 1, keepdims: 0, select_last_index: 1 }, [X([2, 5])], {}, [out('y', 'int64')]), { x: ties });
  }
  await expectAgreement(worker!, 'Where with broadcasting', {
    nodes: [{ op: 'Greater', inputs: ['x', 'z'], outputs: ['c'] }, { op: 'Where', inputs: ['c', 'x', 'o'], outputs: ['y'] }],
    inputs: [X([3, 4])], initializers: { z: f32([], [0]), o: randomFloats([4], 8) }, outputs: [out()],
  }, { x: randomFloats([3, 4], 9) });
  await expectAgreement(worker!, 'Einsum batched matmul', {
    nodes: [{ op: 'Einsum', inputs: ['x', 'w'], outputs: ['y'], attrs: { equation: 'bij,bjk->bik' } }],
    inputs: [X([2, 3, 4])], initializers: { w: randomFloats([2, 4, 5], 10) }, outputs: [out()],
  }, { x: randomFloats([2, 3, 4], 11) });
});

test('shape inputs computed at run time: Reshape, Expand, Slice, Tile, Pad, ReduceSum axes, ConstantOfShape', { skip }, async () => {
  const s = (name: string, shape: number[]): Input => ({ name, dtype: 'int64', shape });
  const x = randomFloats([2, 3, 4], 12);
  await expectAgreement(worker!, 'Reshape by a shape input', one('Reshape', ['x', 's'], {}, [X([2, 3, 4]), s('s', [2])]), { x, s: i64([2], [4, -1]) });
  await expectAgreement(worker!, 'Expand by a shape input', one('Expand', ['x', 's'], {}, [X([3, 1]), s('s', [3])]), { x: randomFloats([3, 1], 13), s: i64([3], [2, 3, 4]) });
  await expectAgreement(worker!, 'Slice by start/end/axes/step inputs', one('Slice', ['x', 'a', 'b', 'c', 'd'], {},
    [X([2, 3, 4]), s('a', [2]), s('b', [2]), s('c', [2]), s('d', [2])]), { x, a: i64([2], [3, 0]), b: i64([2], [0, 2]), c: i64([2], [2, 1]), d: i64([2], [-1, 1]) });
  await expectAgreement(worker!, 'Tile by a repeats input', one('Tile', ['x', 'r'], {}, [X([2, 3, 4]), s('r', [3])]), { x, r: i64([3], [1, 2, 2]) });
  await expectAgreement(worker!, 'Pad by a pads input and a value input', one('Pad', ['x', 'p', 'v'], {},
    [X([2, 3, 4]), s('p', [6]), { name: 'v', dtype: 'float32', shape: [] }]), { x, p: i64([6], [0, 1, 2, 0, 0, 1]), v: f32([], [1.5]) });
  for (const op of ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceL1', 'ReduceLogSumExp']) {
    await expectAgreement(worker!, `${op} with an axes input`, one(op, ['x', 'a'], { keepdims: 0 }, [X([2, 3, 4]), s('a', [2])]), { x, a: i64([2], [0, -1]) });
  }
  await expectAgreement(worker!, 'ConstantOfShape from Shape', {
    nodes: [{ op: 'Shape', inputs: ['x'], outputs: ['sh'] }, { op: 'ConstantOfShape', inputs: ['sh'], outputs: ['c'], attrs: { value: i64([1], [7]) } },
      { op: 'Cast', inputs: ['c'], outputs: ['cf'], attrs: { to: 1 } }, { op: 'Add', inputs: ['x', 'cf'], outputs: ['y'] }],
    inputs: [X(['a', 3, 4])], outputs: [out()],
  }, { x });
});
