/**
 * The torch importer's N-d convolution, pooling, ConvTranspose, Resize and
 * GridSample, against onnxruntime-node on seeded inputs; one shared worker.
 */
import { after, test } from 'node:test';
import type { HostTensor } from '../src/runtimes/runtime.js';
import { expectAgreement, f32, i64, randomFloats, skipTorch, startWorker, type AttrValue, type GraphSpec } from './torch-helpers.js';

const worker = skipTorch ? undefined : startWorker();
after(() => worker?.close());
const skip = skipTorch;

const Y = [{ name: 'y', dtype: 'float32' as const }];

function node(op: string, inputs: string[], attrs: Record<string, AttrValue>, xShape: number[], initializers: Record<string, HostTensor> = {},
  extraInputs: GraphSpec['inputs'] = [], opset = 17): GraphSpec {
  return { nodes: [{ op, inputs, outputs: ['y'], attrs }], inputs: [{ name: 'x', dtype: 'float32', shape: xShape }, ...extraInputs], initializers, outputs: Y, opset };
}

test('Conv with weights given at run time, 1-D and 3-D, uneven pads and SAME', { skip }, async () => {
  const w = (shape: number[]) => ({ name: 'w', dtype: 'float32' as const, shape });
  await expectAgreement(worker!, 'Conv 1-D, weights as an input, uneven pads',
    node('Conv', ['x', 'w'], { pads: [1, 2], strides: [2] }, [2, 3, 11], {}, [w([4, 3, 3])]), { x: randomFloats([2, 3, 11], 1), w: randomFloats([4, 3, 3], 2) });
  await expectAgreement(worker!, 'Conv 3-D, weights as an input, SAME_UPPER, groups',
    node('Conv', ['x', 'w'], { auto_pad: 'SAME_UPPER', group: 2, strides: [1, 2, 2] }, [1, 4, 5, 6, 6], {}, [w([4, 2, 3, 3, 3])]),
    { x: randomFloats([1, 4, 5, 6, 6], 3), w: randomFloats([4, 2, 3, 3, 3], 4) });
});

test('ConvTranspose 1-D, 2-D, 3-D: uneven pads, output_padding, output_shape, SAME_UPPER, dilations, groups', { skip }, async () => {
  const cases: [string, number[], number[], Record<string, AttrValue>][] = [
    ['1-D stride 2 output_padding 1', [1, 2, 5], [2, 3, 3], { strides: [2], output_padding: [1] }],
    ['2-D uneven pads', [1, 2, 4, 4], [2, 3, 3, 3], { strides: [2, 2], pads: [0, 1, 1, 0] }],
    ['2-D output_shape', [1, 2, 4, 4], [2, 3, 3, 3], { strides: [3, 2], output_shape: [10, 8] }],
    ['2-D SAME_UPPER', [1, 2, 4, 4], [2, 3, 3, 3], { strides: [2, 2], auto_pad: 'SAME_UPPER' }],
    ['2-D dilations, groups 2', [1, 4, 4, 4], [4, 1, 2, 2], { dilations: [2, 2], group: 2 }],
    ['3-D', [1, 2, 3, 4, 4], [2, 2, 3, 3, 3], { strides: [1, 2, 2], pads: [1, 1, 1, 1, 1, 1] }],
  ];
  for (const [name, xs, ws, attrs] of cases) {
    await expectAgreement(worker!, `ConvTranspose ${name}`, node('ConvTranspose', ['x', 'w', 'b'], attrs, xs, { w: randomFloats(ws, 5), b: randomFloats([ws[1] * Number(attrs.group ?? 1)], 6) }),
      { x: randomFloats(xs, 7) });
  }
});

test('pooling in 1-D and 3-D, MaxPool Indices, AveragePool SAME', { skip }, async () => {
  await expectAgreement(worker!, 'MaxPool 1-D', node('MaxPool', ['x'], { kernel_shape: [3], strides: [2], pads: [1, 1] }, [2, 3, 9]), { x: randomFloats([2, 3, 9], 8) });
  await expectAgreement(worker!, 'AveragePool 3-D count_include_pad', node('AveragePool', ['x'], { kernel_shape: [2, 3, 3], pads: [0, 1, 1, 1, 1, 1], count_include_pad: 1 }, [1, 2, 4, 5, 5]),
    { x: randomFloats([1, 2, 4, 5, 5], 9) });
  await expectAgreement(worker!, 'AveragePool SAME_LOWER', node('AveragePool', ['x'], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_LOWER' }, [1, 2, 6, 7]),
    { x: randomFloats([1, 2, 6, 7], 10) });
  await expectAgreement(worker!, 'MaxPool with Indices', {
    nodes: [{ op: 'MaxPool', inputs: ['x'], outputs: ['y', 'i'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } }],
    inputs: [{ name: 'x', dtype: 'float32', shape: [2, 3, 4, 6] }], outputs: [...Y, { name: 'i', dtype: 'int64' }],
  }, { x: randomFloats([2, 3, 4, 6], 11) });
});

test('Resize: nearest rules, linear, cubic, coordinate modes, sizes, crop-and-resize', { skip }, async () => {
  const x = randomFloats([1, 2, 4, 5], 12);
  const scales = f32([4], [1, 1, 1.7, 0.6]);
  const cases: [string, Record<string, AttrValue>][] = [
    ['nearest round_prefer_ceil asymmetric', { mode: 'nearest', nearest_mode: 'round_prefer_ceil', coordinate_transformation_mode: 'asymmetric' }],
    ['nearest floor half_pixel', { mode: 'nearest', nearest_mode: 'floor' }],
    ['linear half_pixel', { mode: 'linear' }],
    ['linear align_corners', { mode: 'linear', coordinate_transformation_mode: 'align_corners' }],
    ['linear pytorch_half_pixel', { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' }],
    ['cubic', { mode: 'cubic' }],
    ['cubic A=-0.5 exclude_outside', { mode: 'cubic', cubic_coeff_a: { f: -0.5 }, exclude_outside: 1 }],
  ];
  for (const [name, attrs] of cases) {
    await expectAgreement(worker!, `Resize ${name}`, node('Resize', ['x', '', 's'], attrs, [1, 2, 4, 5], { s: scales }), { x });
  }
  await expectAgreement(worker!, 'Resize linear to sizes', node('Resize', ['x', '', '', 'z'], { mode: 'linear' }, [1, 2, 4, 5], { z: i64([4], [1, 2, 7, 3]) }), { x });
  await expectAgreement(worker!, 'Resize tf_crop_and_resize with extrapolation', node('Resize', ['x', 'r', 's'],
    { mode: 'linear', coordinate_transformation_mode: 'tf_crop_and_resize', extrapolation_value: { f: 9 } }, [1, 2, 4, 5],
    { r: f32([8], [0, 0, -0.2, 0.1, 1, 1, 0.8, 1.3]), s: f32([4], [1, 1, 1.5, 1.2]) }), { x });
});

test('GridSample, DepthToSpace, SpaceToDepth', { skip }, async () => {
  for (const [mode, padding] of [['bilinear', 'zeros'], ['nearest', 'border'], ['bilinear', 'reflection']]) {
    await expectAgreement(worker!, `GridSample ${mode} ${padding}`, node('GridSample', ['x', 'g'], { mode, padding_mode: padding }, [1, 2, 4, 5],
      { g: randomFloats([1, 3, 3, 2], 13, -1.2, 1.2) }, [], 16), { x: randomFloats([1, 2, 4, 5], 14) });
  }
  for (const mode of ['DCR', 'CRD']) {
    await expectAgreement(worker!, `DepthToSpace ${mode}`, node('DepthToSpace', ['x'], { blocksize: 2, mode }, [1, 8, 2, 3]), { x: randomFloats([1, 8, 2, 3], 15) });
  }
  await expectAgreement(worker!, 'SpaceToDepth', node('SpaceToDepth', ['x'], { blocksize: 2 }, [1, 2, 4, 6]), { x: randomFloats([1, 2, 4, 6], 16) });
});
