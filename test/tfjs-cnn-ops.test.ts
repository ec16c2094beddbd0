/** The tfjs importer's CNN operators, op by op, against onnxruntime-node on cpu and wasm. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModel } from '../src/onnx/read.js';
import { toGraphIR } from '../src/onnx/ir.js';
import { fuseGraph } from '../src/runtimes/tfjs/fuse.js';
import { expectAgreement, modelBytes, float, floats, int, ints, randomFloats, str, type Attr, type GraphSpec } from './tfjs-helpers.js';

const X = (shape: number[]) => ({ name: 'x', dtype: 'float32' as const, shape });
const Y = [{ name: 'y', dtype: 'float32' as const }];

function convSpec(inC: number, outC: number, k: number, attrs: Record<string, Attr>, bias = true, then: GraphSpec['nodes'] = []): GraphSpec {
  const group = attrs.group?.i ? Number(attrs.group.i) : 1;
  return {
    nodes: [{ op: 'Conv', inputs: ['x', 'w', ...(bias ? ['b'] : [])], outputs: [then.length ? 'c' : 'y'], attrs: { kernel_shape: ints([k, k]), ...attrs } }, ...then],
    inputs: [X([2, inC, 9, 9])],
    initializers: { w: randomFloats([outC, inC / group, k, k], 11), ...(bias ? { b: randomFloats([outC], 12) } : {}) },
    outputs: Y,
  };
}
const feed = (shape: number[], seed = 1) => ({ x: randomFloats(shape, seed) });

test('Conv: pads, strides, dilations, auto_pad, groups and depthwise', async () => {
  const cases: [string, GraphSpec][] = [
    ['3x3 pad 1', convSpec(3, 4, 3, { pads: ints([1, 1, 1, 1]) })],
    ['3x3 stride 2, asymmetric pads', convSpec(3, 4, 3, { strides: ints([2, 2]), pads: ints([0, 0, 1, 1]) })],
    ['3x3 stride 2, asymmetric pads not SAME', convSpec(3, 4, 3, { strides: ints([2, 2]), pads: ints([1, 0, 0, 2]) })],
    ['SAME_UPPER stride 2', convSpec(3, 4, 3, { strides: ints([2, 2]), auto_pad: str('SAME_UPPER') })],
    ['SAME_LOWER stride 2', convSpec(3, 4, 4, { strides: ints([2, 2]), auto_pad: str('SAME_LOWER') })],
    ['VALID 1x1, no bias', convSpec(3, 5, 1, { auto_pad: str('VALID') }, false)],
    ['dilation 2', convSpec(3, 4, 3, { dilations: ints([2, 2]), pads: ints([2, 2, 2, 2]) })],
    ['groups 2', convSpec(4, 6, 3, { group: int(2), pads: ints([1, 1, 1, 1]) })],
    ['depthwise', convSpec(4, 4, 3, { group: int(4), pads: ints([1, 1, 1, 1]) })],
    ['depthwise, multiplier 2, stride 2', convSpec(4, 8, 3, { group: int(4), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) })],
  ];
  for (const [name, spec] of cases) {
    const inC = Number(spec.initializers!.w.shape[1]) * (spec.nodes[0].attrs?.group?.i ? Number(spec.nodes[0].attrs.group.i) : 1);
    await expectAgreement(spec, feed([2, inC, 9, 9])).catch((err) => { throw new Error(`${name}: ${(err as Error).message}`); });
  }
});

test('Conv fused with BatchNormalization and Relu / Clip(0,6), and with fusion off', async () => {
  const bn = (input: string, output: string) => ({ op: 'BatchNormalization', inputs: [input, 's', 'bb', 'm', 'v'], outputs: [output], attrs: { epsilon: float(1e-3) } });
  const bnInits = { s: randomFloats([4], 21, 0.5, 1.5), bb: randomFloats([4], 22), m: randomFloats([4], 23), v: randomFloats([4], 24, 0.2, 2) };
  const relu: GraphSpec = convSpec(3, 4, 3, { pads: ints([1, 1, 1, 1]) }, true, [bn('c', 'n'), { op: 'Relu', inputs: ['n'], outputs: ['y'] }]);
  relu.initializers = { ...relu.initializers, ...bnInits };
  const clip: GraphSpec = convSpec(3, 4, 3, { pads: ints([1, 1, 1, 1]) }, false, [bn('c', 'n'), { op: 'Clip', inputs: ['n', 'lo', 'hi'], outputs: ['y'] }]);
  clip.initializers = { ...clip.initializers, ...bnInits, lo: floats([], [0]), hi: floats([], [6]) };
  for (const spec of [relu, clip]) {
    const fused = fuseGraph(toGraphIR(decodeModel(modelBytes(spec))));
    assert.deepEqual(fused.nodes.map((n) => n.opType), ['Conv'], 'BatchNormalization and the activation are folded into the conv');
    assert.deepEqual([...fused.initializers.keys()].filter((k) => ['w', 's', 'm', 'v'].includes(k)), [], 'replaced weights are not uploaded');
    await expectAgreement(spec, feed([2, 3, 9, 9]));
    await expectAgreement(spec, feed([2, 3, 9, 9]), { settings: { fuse: false, layout: 'nchw' } });
  }
});

test('BatchNormalization on 4-D and 2-D inputs', async () => {
  const inits = { s: randomFloats([3], 21), bb: randomFloats([3], 22), m: randomFloats([3], 23), v: randomFloats([3], 24, 0.2, 2) };
  for (const shape of [[2, 3, 5, 5], [4, 3]]) {
    await expectAgreement({
      nodes: [{ op: 'BatchNormalization', inputs: ['x', 's', 'bb', 'm', 'v'], outputs: ['y'] }],
      inputs: [X(shape)], initializers: inits, outputs: Y,
    }, feed(shape));
  }
});

test('MaxPool, AveragePool (pads, ceil_mode, count_include_pad) and GlobalAveragePool', async () => {
  const pool = (op: string, attrs: Record<string, Attr>): GraphSpec => ({ nodes: [{ op, inputs: ['x'], outputs: ['y'], attrs }], inputs: [X([2, 3, 9, 9])], outputs: Y });
  const cases: [string, GraphSpec][] = [
    ['max 3x3 s2 p1', pool('MaxPool', { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) })],
    ['max 2x2 s2 ceil', pool('MaxPool', { kernel_shape: ints([2, 2]), strides: ints([2, 2]), ceil_mode: int(1) })],
    ['max SAME_UPPER', pool('MaxPool', { kernel_shape: ints([3, 3]), strides: ints([2, 2]), auto_pad: str('SAME_UPPER') })],
    ['avg 2x2 s2', pool('AveragePool', { kernel_shape: ints([2, 2]), strides: ints([2, 2]) })],
    ['avg 3x3 p1 excluding pads', pool('AveragePool', { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) })],
    ['avg 3x3 p1 including pads', pool('AveragePool', { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]), count_include_pad: int(1) })],
    ['avg asymmetric pads', pool('AveragePool', { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([0, 1, 1, 0]) })],
    ['global average', pool('GlobalAveragePool', {})],
    ['global max', pool('GlobalMaxPool', {})],
  ];
  for (const [name, spec] of cases) {
    await expectAgreement(spec, feed([2, 3, 9, 9])).catch((err) => { throw new Error(`${name}: ${(err as Error).message}`); });
  }
});

test('a CNN block: conv path in NHWC through Add, Mul (SE-style), Concat, Sigmoid, Flatten and Gemm', async () => {
  const spec: GraphSpec = {
    nodes: [
      { op: 'Conv', inputs: ['x', 'w1', 'b1'], outputs: ['c1'], attrs: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) } },
      { op: 'Relu', inputs: ['c1'], outputs: ['r1'] },
      { op: 'Conv', inputs: ['r1', 'w2'], outputs: ['c2'], attrs: { kernel_shape: ints([1, 1]) } },
      { op: 'Add', inputs: ['c2', 'r1'], outputs: ['a'] },
      { op: 'GlobalAveragePool', inputs: ['a'], outputs: ['g'] },
      { op: 'Sigmoid', inputs: ['g'], outputs: ['gs'] },
      { op: 'Mul', inputs: ['a', 'gs'], outputs: ['se'] },
      { op: 'Mul', inputs: ['se', 'chan'], outputs: ['sc'] },
      { op: 'Add', inputs: ['sc', 'scalar'], outputs: ['sa'] },
      { op: 'Concat', inputs: ['sa', 'r1'], outputs: ['cat'], attrs: { axis: int(1) } },
      { op: 'MaxPool', inputs: ['cat'], outputs: ['p'], attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]) } },
      { op: 'Tanh', inputs: ['p'], outputs: ['t'] },
      { op: 'Flatten', inputs: ['t'], outputs: ['f'], attrs: { axis: int(1) } },
      { op: 'Gemm', inputs: ['f', 'wf', 'bf'], outputs: ['y'], attrs: { transB: int(1), alpha: float(0.5), beta: float(2) } },
    ],
    inputs: [X([2, 3, 8, 8])],
    initializers: {
      w1: randomFloats([4, 3, 3, 3], 1), b1: randomFloats([4], 2), w2: randomFloats([4, 4, 1, 1], 3),
      chan: randomFloats([4, 1, 1], 4), scalar: floats([], [0.25]), wf: randomFloats([5, 8 * 16], 5), bf: randomFloats([5], 6),
    },
    outputs: Y,
  };
  await expectAgreement(spec, feed([2, 3, 8, 8]));
  await expectAgreement(spec, feed([2, 3, 8, 8]), { settings: { layout: 'nchw' } });
});

test('wasm without SIMD gives the same results', async () => {
  await expectAgreement(convSpec(3, 4, 3, { pads: ints([1, 1, 1, 1]) }), feed([2, 3, 9, 9]), { providers: ['wasm'], settings: { simd: false } });
  await expectAgreement(convSpec(3, 4, 3, { pads: ints([1, 1, 1, 1]) }), feed([2, 3, 9, 9]), { providers: ['wasm'], settings: { simd: true } });
});

test('Gemm: transA / transB, alpha, beta, bias shapes (the classifier head)', async () => {
  const cases: [string, Record<string, Attr>, number[], number[], number[] | null][] = [
    ['transB with bias (fused path)', { transB: int(1) }, [3, 64], [10, 64], [10]],
    ['plain, no bias', {}, [3, 64], [64, 10], null],
    ['transA, alpha, beta, 2-D bias', { transA: int(1), alpha: float(0.5), beta: float(2) }, [64, 3], [64, 10], [3, 10]],
    ['transA and transB, row bias', { transA: int(1), transB: int(1) }, [64, 3], [10, 64], [1, 10]],
  ];
  for (const [name, attrs, aShape, bShape, cShape] of cases) {
    const spec: GraphSpec = {
      nodes: [{ op: 'Gemm', inputs: ['x', 'w', ...(cShape ? ['c'] : [])], outputs: ['y'], attrs }],
      inputs: [X(aShape)],
      initializers: { w: randomFloats(bShape, 1), ...(cShape ? { c: randomFloats(cShape, 2) } : {}) },
      outputs: Y,
    };
    await expectAgreement(spec, feed(aShape)).catch((err) => { throw new Error(`${name}: ${(err as Error).message}`); });
  }
});
