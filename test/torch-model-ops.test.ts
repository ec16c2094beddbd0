/**
 * The torch importer's multi-output normalisation, loss, quantisation,
 * recurrent and control-flow operators, against onnxruntime-node on seeded
 * inputs; one shared worker.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { DType, HostTensor } from '../src/runtimes/runtime.js';
import { expectAgreement, f32, i64, modelBytes, randomFloats, runTorch, skipTorch, startWorker, type AttrValue, type GraphSpec } from './torch-helpers.js';

const worker = skipTorch ? undefined : startWorker();
after(() => worker?.close());
const skip = skipTorch;

const o = (name: string, dtype: DType = 'float32') => ({ name, dtype });
const x = (shape: (number | string)[], name = 'x', dtype: DType = 'float32') => ({ name, dtype, shape });
const u8 = (shape: number[], values: number[]): HostTensor => ({ dtype: 'uint8', shape, data: Uint8Array.from(values) });
const bool = (values: number[]): HostTensor => ({ dtype: 'bool', shape: [], data: Uint8Array.from(values) });

function one(op: string, inputs: string[], outputs: { name: string; dtype: DType }[], attrs: Record<string, AttrValue>,
  graphInputs: GraphSpec['inputs'], initializers: Record<string, HostTensor> = {}, opset = 17): GraphSpec {
  return { nodes: [{ op, inputs, outputs: outputs.map((v) => v.name), attrs }], inputs: graphInputs, initializers, outputs, opset };
}

test('every output of LayerNormalization, BatchNormalization (training mode) and Dropout', { skip }, async () => {
  await expectAgreement(worker!, 'LayerNormalization Y, Mean, InvStdDev (axis 1)',
    one('LayerNormalization', ['x', 's', 'b'], [o('y'), o('m'), o('r')], { axis: 1, epsilon: { f: 1e-3 } }, [x([2, 3, 4])],
      { s: randomFloats([3, 4], 1), b: randomFloats([3, 4], 2) }), { x: randomFloats([2, 3, 4], 3) });
  await expectAgreement(worker!, 'BatchNormalization training mode with running statistics',
    one('BatchNormalization', ['x', 's', 'b', 'm', 'v'], [o('y'), o('rm'), o('rv')], { training_mode: 1, momentum: { f: 0.8 } }, [x([2, 3, 4, 4])],
      { s: randomFloats([3], 4), b: randomFloats([3], 5), m: randomFloats([3], 6), v: randomFloats([3], 7, 0.5, 2) }, 15), { x: randomFloats([2, 3, 4, 4], 8) });
  await expectAgreement(worker!, 'Dropout output and mask (inference)',
    one('Dropout', ['x', 'r'], [o('y'), o('mask', 'bool')], {}, [x([2, 5])], { r: f32([], [0.3]) }), { x: randomFloats([2, 5], 9) });
});

test('NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss: weights, ignore_index, every reduction', { skip }, async () => {
  const labels = i64([2, 3], [0, 3, -1, 2, -1, 1]);
  for (const reduction of ['none', 'sum', 'mean']) {
    await expectAgreement(worker!, `NLL ${reduction}, weights, ignore_index -1`,
      one('NegativeLogLikelihoodLoss', ['x', 't', 'w'], [o('y')], { reduction, ignore_index: -1 }, [x([2, 4, 3]), x([2, 3], 't', 'int64')],
        { w: randomFloats([4], 10, 0.2, 1) }), { x: randomFloats([2, 4, 3], 11), t: labels });
    await expectAgreement(worker!, `SoftmaxCrossEntropyLoss ${reduction} with log_prob`,
      one('SoftmaxCrossEntropyLoss', ['x', 't'], [o('y'), o('lp')], { reduction, ignore_index: -1 }, [x([2, 4, 3]), x([2, 3], 't', 'int64')]),
      { x: randomFloats([2, 4, 3], 12), t: labels });
  }
});

test('QuantizeLinear, DequantizeLinear (per axis), DynamicQuantizeLinear, QLinearMatMul, MatMulInteger', { skip }, async () => {
  await expectAgreement(worker!, 'QuantizeLinear then DequantizeLinear per axis', {
    nodes: [{ op: 'QuantizeLinear', inputs: ['x', 's', 'z'], outputs: ['q'], attrs: { axis: 1 } },
      { op: 'DequantizeLinear', inputs: ['q', 's', 'z'], outputs: ['y'], attrs: { axis: 1 } }],
    inputs: [x([2, 3, 4])], initializers: { s: f32([3], [0.01, 0.02, 0.05]), z: u8([3], [128, 100, 3]) }, outputs: [o('y')],
  }, { x: randomFloats([2, 3, 4], 13, -3, 3) });
  await expectAgreement(worker!, 'DynamicQuantizeLinear', one('DynamicQuantizeLinear', ['x'], [o('y', 'uint8'), o('s'), o('z', 'uint8')], {}, [x([3, 4])]),
    { x: randomFloats([3, 4], 14, -2, 5) });
  const a = u8([2, 3], [10, 200, 37, 0, 255, 128]);
  const b = u8([3, 2], [1, 2, 250, 100, 30, 77]);
  await expectAgreement(worker!, 'QLinearMatMul', one('QLinearMatMul', ['a', 'as', 'az', 'b', 'bs', 'bz', 'ys', 'yz'], [o('y', 'uint8')], {},
    [x([2, 3], 'a', 'uint8')], { as: f32([], [0.02]), az: u8([], [120]), b, bs: f32([], [0.01]), bz: u8([], [90]), ys: f32([], [0.05]), yz: u8([], [128]) }), { a });
  await expectAgreement(worker!, 'MatMulInteger', one('MatMulInteger', ['a', 'b', 'az', 'bz'], [o('y', 'int32')], {}, [x([2, 3], 'a', 'uint8')],
    { b, az: u8([], [12]), bz: u8([], [3]) }), { a });
});

test('RNN, LSTM (bidirectional, peepholes, initial states), GRU (linear_before_reset)', { skip }, async () => {
  const [steps, batch, input, hidden] = [4, 2, 3, 5];
  const X = randomFloats([steps, batch, input], 15);
  const weights = (gates: number, dirs: number, seed: number) => ({
    w: randomFloats([dirs, gates * hidden, input], seed, -0.5, 0.5), r: randomFloats([dirs, gates * hidden, hidden], seed + 1, -0.5, 0.5),
    b: randomFloats([dirs, 2 * gates * hidden], seed + 2, -0.5, 0.5), h: randomFloats([dirs, batch, hidden], seed + 3),
  });
  const rnn = weights(1, 1, 20);
  await expectAgreement(worker!, 'RNN forward', one('RNN', ['x', 'w', 'r', 'b', '', 'h'], [o('y'), o('yh')], { hidden_size: hidden },
    [x([steps, batch, input])], rnn), { x: X });
  const lstm = weights(4, 2, 30);
  await expectAgreement(worker!, 'LSTM bidirectional with peepholes and initial states',
    one('LSTM', ['x', 'w', 'r', 'b', '', 'h', 'c', 'p'], [o('y'), o('yh'), o('yc')], { hidden_size: hidden, direction: 'bidirectional' },
      [x([steps, batch, input])], { ...lstm, c: randomFloats([2, batch, hidden], 35), p: randomFloats([2, 3 * hidden], 36, -0.3, 0.3) }), { x: X });
  const gru = weights(3, 1, 40);
  await expectAgreement(worker!, 'GRU reverse, linear_before_reset',
    one('GRU', ['x', 'w', 'r', 'b'], [o('y'), o('yh')], { hidden_size: hidden, direction: 'reverse', linear_before_reset: 1 },
      [x([steps, batch, input])], { w: gru.w, r: gru.r, b: gru.b }), { x: X });
});

test('If on a run-time condition, Loop with a scan output, Scan with outer-scope values', { skip }, async () => {
  const branch = (op: string): AttrValue => ({ graph: { nodes: [{ op, inputs: ['x', 'c'], outputs: ['out'] }], inputs: [], outputs: [o('out')] } });
  const ifSpec: GraphSpec = {
    nodes: [{ op: 'If', inputs: ['cond'], outputs: ['y'], attrs: { then_branch: branch('Add'), else_branch: branch('Mul') } }],
    inputs: [x([2, 3]), x([], 'cond', 'bool')], initializers: { c: f32([], [3]) }, outputs: [o('y')],
  };
  for (const c of [1, 0]) await expectAgreement(worker!, `If cond=${c}`, ifSpec, { x: randomFloats([2, 3], 50), cond: bool([c]) });
  const body: GraphSpec = {
    nodes: [{ op: 'Add', inputs: ['acc_in', 'x'], outputs: ['acc_out'] }, { op: 'Identity', inputs: ['cond_in'], outputs: ['cond_out'] },
      { op: 'Mul', inputs: ['acc_out', 'x'], outputs: ['scan'] }],
    inputs: [x([], 'i', 'int64'), x([], 'cond_in', 'bool'), x([2], 'acc_in')], outputs: [o('cond_out', 'bool'), o('acc_out'), o('scan')],
  };
  await expectAgreement(worker!, 'Loop three times with a scan output', {
    nodes: [{ op: 'Loop', inputs: ['n', '', 'a0'], outputs: ['y', 'ys'], attrs: { body: { graph: body } } }],
    inputs: [x([2])], initializers: { n: i64([], [3]), a0: f32([2], [0.5, -1]) }, outputs: [o('y'), o('ys')],
  }, { x: randomFloats([2], 51) });
  const scanBody: GraphSpec = {
    nodes: [{ op: 'Add', inputs: ['s_in', 'row'], outputs: ['s_out'] }, { op: 'Mul', inputs: ['s_out', 'k'], outputs: ['each'] }],
    inputs: [x([3], 's_in'), x([3], 'row')], outputs: [o('s_out'), o('each')],
  };
  await expectAgreement(worker!, 'Scan over axis 1, reversed', {
    nodes: [{ op: 'Scan', inputs: ['s0', 'x'], outputs: ['y', 'ys'], attrs: { body: { graph: scanBody }, num_scan_inputs: 1, scan_input_axes: [1], scan_input_directions: [1] } }],
    inputs: [x([3, 4]), x([3], 'k')], initializers: { s0: f32([3], [0, 1, 2]) }, outputs: [o('y'), o('ys')],
  }, { x: randomFloats([3, 4], 52), k: randomFloats([3], 53) });
});

test('mode torchscript refuses value-dependent operators rather than freezing the first input\'s result', { skip }, async () => {
  const spec = one('NonZero', ['x'], [o('y', 'int64')], {}, [x([4])]);
  await assert.rejects(runTorch(worker!, modelBytes(spec), { x: f32([4], [0, 1, 0, 2]) }, 'torchscript'),
    /mode torchscript cannot run operator\(s\) NonZero: a trace would keep the values the first input gave; use mode eager/);
  await expectAgreement(worker!, 'NonZero in eager mode', spec, { x: f32([4], [0, 1, 0, 2]) });
});
