/**
 * String tensors through predict() on onnxruntime (node, web) and tfjs, with
 * exact values; torch refuses them by name; bfloat16 inputs and outputs are
 * refused up front on onnxruntime while bfloat16 inside a graph runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from '../src/onnx/read.js';
import { load } from '../src/api/load.js';
import type { StringTensor, Tensor } from '../src/core/tensors.js';
import { synthesizeFeeds } from '../src/runner/inputs.js';
import { concatAxis, sliceAxis } from '../src/api/batching.js';
import { compareOutputs } from '../src/engine/agreement.js';
import { floatText, parseNumber } from '../src/runtimes/tfjs/ops/strings.js';
import { getRuntime } from '../src/runtimes/registry.js';
import { runCase } from '../src/conformance/run-case.js';
import { ONNX_TOLERANCE } from '../src/conformance/types.js';
import { tempDir, writeModel } from './helpers/models.js';

const T = onnx.TensorProto.DataType;
const dir = tempDir();

type Vi = { name: string; elem: number; dims: (number | string)[] };
const vi = ({ name, elem, dims }: Vi) => ({
  name, type: { tensorType: { elemType: elem, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});
const attrInt = (name: string, i: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });

function modelBytes(name: string, nodes: object[], inputs: Vi[], outputs: Vi[], opset = 17): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8, producerName: 'infermark-test', opsetImport: [{ domain: '', version: opset }],
    graph: { name, node: nodes, input: inputs.map(vi), output: outputs.map(vi) },
  }).finish();
}

/** text (string[n]) -> Identity, Cast to float; num (float[n]) -> Cast to string. */
const stringsModel = writeModel(dir, 'strings.onnx', modelBytes('strings', [
  { opType: 'Identity', input: ['text'], output: ['same'], name: 'id' },
  { opType: 'Cast', input: ['text'], output: ['parsed'], name: 'to_float', attribute: [attrInt('to', T.FLOAT)] },
  { opType: 'Cast', input: ['num'], output: ['printed'], name: 'to_text', attribute: [attrInt('to', T.STRING)] },
], [{ name: 'text', elem: T.STRING, dims: ['n'] }, { name: 'num', elem: T.FLOAT, dims: [2] }],
[{ name: 'same', elem: T.STRING, dims: ['n'] }, { name: 'parsed', elem: T.FLOAT, dims: ['n'] }, { name: 'printed', elem: T.STRING, dims: [2] }]));

const text: StringTensor = { dtype: 'string', shape: [4], data: ['1.5', '-2', 'INF', 'héllo wörld'.length.toString()] };

for (const runtime of ['ort-node', 'ort-web', 'tfjs']) {
  test(`${runtime}: predict() takes and gives string tensors with their exact values`, async () => {
    const model = await load(stringsModel, { runtime });
    try {
      assert.equal(model.inputs.find((i) => i.name === 'text')?.dtype, 'string');
      const out = await model.predict({ text, num: { dtype: 'float32', shape: [2], data: Float32Array.of(0.5, 2) } });
      assert.deepEqual(out.same, text);
      assert.equal(out.parsed.dtype, 'float32');
      assert.deepEqual([...out.parsed.data], [1.5, -2, Infinity, 11]);
      assert.equal(out.printed.dtype, 'string');
      // onnxruntime writes "%.8g"-like text, tfjs the ONNX reference's shortest text: both read back exactly.
      assert.deepEqual((out.printed.data as string[]).map(Number), [0.5, 2]);
    } finally {
      await model.dispose();
    }
  });
}

test('tfjs: predict() with batchSize splits and joins string tensors along the batch axis', async () => {
  const model = await load(stringsModel, { runtime: 'tfjs', batchSize: 3, batchDim: 'n' });
  try {
    const out = await model.predict({ text, num: { dtype: 'float32', shape: [2], data: Float32Array.of(1, 2) } });
    assert.deepEqual(out.same, text);
  } finally {
    await model.dispose();
  }
});

test('tfjs: StringNormalizer drops stopwords and changes case as ONNX defines it', async () => {
  const strAttr = (name: string, s: string) => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(s) });
  const stop = { name: 'stopwords', type: onnx.AttributeProto.AttributeType.STRINGS, strings: [new TextEncoder().encode('monday')] };
  const path = writeModel(dir, 'norm.onnx', modelBytes('norm', [
    { opType: 'StringNormalizer', input: ['x'], output: ['y'], name: 'n', attribute: [strAttr('case_change_action', 'UPPER'), stop] },
  ], [{ name: 'x', elem: T.STRING, dims: [1, 'c'] }], [{ name: 'y', elem: T.STRING, dims: [1, 'd'] }], 10));
  const model = await load(path, { runtime: 'tfjs' });
  try {
    const out = await model.predict({ x: { dtype: 'string', shape: [1, 4], data: ['Monday', 'tuesday', 'MONDAY', 'wednesday'] } });
    assert.deepEqual(out.y, { dtype: 'string', shape: [1, 2], data: ['TUESDAY', 'WEDNESDAY'] });
    const none = await model.predict({ x: { dtype: 'string', shape: [1, 2], data: ['monday', 'Monday'] } });
    assert.deepEqual(none.y, { dtype: 'string', shape: [1, 1], data: [''] });
  } finally {
    await model.dispose();
  }
});

test('float to string writes what the ONNX reference writes; string to float reads what onnxruntime reads', () => {
  const f = (x: number) => floatText(Math.fround(x));
  assert.deepEqual([0.6048455238342285, 0.03918779268860817, 100, 1e6, 123456789, 1e-5, 0.00012, -0].map(f),
    ['0.6048455', '0.039187793', '100.0', '1e+06', '1.2345679e+08', '1e-05', '0.00012', '-0.0']);
  assert.deepEqual([NaN, Infinity, -Infinity].map(floatText), ['NaN', 'INF', '-INF']);
  assert.deepEqual(['INF', '+INF', '-INF', ' 1.5', '1.5x', '1e3', '-infinity', '0x10'].map(parseNumber), [Infinity, Infinity, -Infinity, 1.5, 1.5, 1000, -Infinity, 16]);
  assert.ok(Number.isNaN(parseNumber('NaN')));
  assert.throws(() => parseNumber('abc'), /"abc" is not a number/);
});

test('torch refuses a string input by name before any worker starts', async () => {
  await assert.rejects(load(stringsModel, { runtime: 'torch' }), /^Error: input text of type string: not supported by torch \(string tensors run on ort-node, ort-web and tfjs\)/);
});

test('synthetic string inputs are seeded decimal texts; agreement compares strings exactly; batching slices strings', () => {
  const feeds = synthesizeFeeds([{ name: 's', dtype: 'string', shape: ['n'] }], { s: [5] }, 7);
  const again = synthesizeFeeds([{ name: 's', dtype: 'string', shape: ['n'] }], { s: [5] }, 7);
  assert.deepEqual(feeds, again);
  const s = feeds.s as StringTensor;
  assert.equal(s.dtype, 'string');
  assert.ok(s.data.every((v) => /^-?\d+(\.\d+)?$/.test(v) && Math.abs(Number(v)) <= 1), s.data.join(' '));
  const a: Tensor = { dtype: 'string', shape: [2], data: ['a', 'b'] };
  assert.equal(compareOutputs({ y: a }, { y: { ...a, data: ['a', 'b'] } }, 'ref').withinTolerance, true);
  const bad = compareOutputs({ y: a }, { y: { ...a, data: ['a', 'c'] } }, 'ref');
  assert.equal(bad.withinTolerance, false);
  assert.match(bad.mismatch ?? '', /output y differs at element 1: "b", the reference "c"/);
  const m: Tensor = { dtype: 'string', shape: [2, 3], data: ['a', 'b', 'c', 'd', 'e', 'f'] };
  const cols = sliceAxis(m, 1, 1, 3);
  assert.deepEqual(cols, { dtype: 'string', shape: [2, 2], data: ['b', 'c', 'e', 'f'] });
  assert.deepEqual(concatAxis([sliceAxis(m, 1, 0, 1), cols], 1), m);
});

/** float in -> Cast to bfloat16 -> Cast back to float: bfloat16 only inside the graph. */
const bf16Inside = writeModel(dir, 'bf16-inside.onnx', modelBytes('bf16in', [
  { opType: 'Cast', input: ['x'], output: ['h'], name: 'down', attribute: [attrInt('to', T.BFLOAT16)] },
  { opType: 'Cast', input: ['h'], output: ['y'], name: 'up', attribute: [attrInt('to', T.FLOAT)] },
], [{ name: 'x', elem: T.FLOAT, dims: [3] }], [{ name: 'y', elem: T.FLOAT, dims: [3] }]));
const bf16Edge = writeModel(dir, 'bf16-edge.onnx', modelBytes('bf16edge', [
  { opType: 'Cast', input: ['x'], output: ['y'], name: 'up', attribute: [attrInt('to', T.FLOAT)] },
], [{ name: 'x', elem: T.BFLOAT16, dims: [3] }], [{ name: 'y', elem: T.FLOAT, dims: [3] }]));

for (const runtime of ['ort-node', 'ort-web']) {
  test(`${runtime}: a bfloat16 input is refused up front, naming it and what to do; bfloat16 inside the graph runs`, async () => {
    await assert.rejects(load(bf16Edge, { runtime }), new RegExp(`^Error: input x of type bfloat16: not supported by ${runtime} \\(onnxruntime's JavaScript API has no bfloat16 tensor: cast the value to float32`));
    const rt = await getRuntime(runtime);
    // The adapter itself (what a `run` trial calls) names the value instead of "Unsupported data type: 16".
    await assert.rejects(rt.createSession({ path: bf16Edge }, { provider: rt.providerNames[0], settings: {} }), /input x of type bfloat16: not supported by/);
    const model = await load(bf16Inside, { runtime });
    try {
      const out = await model.predict({ x: { dtype: 'float32', shape: [3], data: Float32Array.of(1, 0.5, -2) } });
      assert.deepEqual([...out.y.data], [1, 0.5, -2]);
    } finally {
      await model.dispose();
    }
  });
}

test('conformance: a bfloat16 input on onnxruntime is unsupported with the reason; tfjs passes the case', async () => {
  const caseDir = join(dir, 'test_cast_bf16');
  const setDir = join(caseDir, 'test_data_set_0');
  mkdirSync(setDir, { recursive: true });
  writeFileSync(join(caseDir, 'model.onnx'), modelBytes('c', [
    { opType: 'Cast', input: ['x'], output: ['y'], name: 'up', attribute: [attrInt('to', T.FLOAT)] },
  ], [{ name: 'x', elem: T.BFLOAT16, dims: [3] }], [{ name: 'y', elem: T.FLOAT, dims: [3] }]));
  // As the ONNX generator writes it: bfloat16 bits in a uint16 tensor.
  writeFileSync(join(setDir, 'input_0.pb'), onnx.TensorProto.encode({ name: 'x', dataType: T.UINT16, dims: [3], int32Data: [0x3f80, 0xc000, 0x3f00] }).finish());
  writeFileSync(join(setDir, 'output_0.pb'), onnx.TensorProto.encode({ name: 'y', dataType: T.FLOAT, dims: [3], floatData: [1, -2, 0.5] }).finish());
  const c = { name: 'test_cast_bf16', dir: caseDir, operator: 'Cast' };
  const ort = await runCase(await getRuntime('ort-node'), 'cpu', {}, c, ONNX_TOLERANCE);
  assert.equal(ort.status, 'unsupported');
  assert.match(ort.reason ?? '', /^input x of type bfloat16: not supported by ort-node/);
  const tfjs = await runCase(await getRuntime('tfjs'), 'cpu', {}, c, ONNX_TOLERANCE);
  assert.equal(tfjs.status, 'pass', tfjs.reason);
});

test('Equal on strings broadcasts as ONNX does, on tfjs and ort-node alike', async () => {
  const path = writeModel(dir, 'eq.onnx', modelBytes('eq', [{ opType: 'Equal', input: ['a', 'b'], output: ['y'], name: 'eq' }],
    [{ name: 'a', elem: T.STRING, dims: [2, 1] }, { name: 'b', elem: T.STRING, dims: [3] }], [{ name: 'y', elem: T.BOOL, dims: [2, 3] }], 19));
  const feeds: Record<string, Tensor> = {
    a: { dtype: 'string', shape: [2, 1], data: ['x', 'y'] },
    b: { dtype: 'string', shape: [3], data: ['y', 'x', 'x'] },
  };
  for (const runtime of ['tfjs', 'ort-node']) {
    const model = await load(path, { runtime });
    try {
      const out = await model.predict(feeds);
      assert.deepEqual(out.y.shape, [2, 3], runtime);
      assert.deepEqual([...out.y.data], [0, 1, 1, 1, 0, 0], runtime);
    } finally {
      await model.dispose();
    }
  }
});
