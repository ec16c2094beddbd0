/** --input NAME=VALUE / NAME=FILE and --inputs DIR: checked against the model in the parent, read in the runner. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from '../src/onnx/read.js';
import { readTensorFile } from '../src/onnx/tensor-file.js';
import { resolveGivenInputs } from '../src/engine/given-inputs.js';
import { synthesizeInputs } from '../src/runner/inputs.js';
import { InputError } from '../src/errors/input-error.js';
import type { TensorInfo } from '../src/runtimes/runtime.js';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

const dir = tempDir();
const inputs: TensorInfo[] = [
  { name: 'x', dtype: 'float32', shape: ['batch', 3] },
  { name: 'rate', dtype: 'int64', shape: [] },
];

/** A little-endian float32 .npy of the given shape. */
function npy(path: string, shape: number[], values: number[], descr = '<f4'): string {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  const body = descr === '<f4' ? Buffer.from(Float32Array.from(values).buffer) : Buffer.from(Float64Array.from(values).buffer);
  writeFileSync(path, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
  return path;
}

test('the three file formats read to the same tensor', () => {
  const a = readTensorFile(npy(join(dir, 'x.npy'), [2, 3], [1, 2, 3, 4, 5, 6]), 'float32');
  writeFileSync(join(dir, 'x.json'), JSON.stringify([[1, 2, 3], [4, 5, 6]]));
  const b = readTensorFile(join(dir, 'x.json'), 'float32');
  writeFileSync(join(dir, 'x.pb'), onnx.TensorProto.encode({ name: 'x', dims: [2, 3], dataType: 1, floatData: [1, 2, 3, 4, 5, 6] }).finish());
  const c = readTensorFile(join(dir, 'x.pb'), 'float32');
  for (const t of [a, b, c]) {
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual([...t.data], [1, 2, 3, 4, 5, 6]);
  }
  assert.equal(c.name, 'x');
});

test('constants and files become feeds; the other inputs are synthesised', () => {
  const file = npy(join(dir, 'feed.npy'), [2, 3], [6, 5, 4, 3, 2, 1]);
  const r = resolveGivenInputs(inputs, { entries: [`x=${file}`, 'rate=16000'] });
  assert.deepEqual(r.given, { x: { file }, rate: { constant: 16000 } });
  assert.deepEqual(r.fileShapes, { x: [2, 3] });
  const feeds = synthesizeInputs(inputs, { x: [2, 3], rate: [] }, 1, {}, r.given);
  assert.deepEqual([...feeds.x.data], [6, 5, 4, 3, 2, 1]);
  assert.deepEqual(feeds.rate, { dtype: 'int64', shape: [], data: BigInt64Array.from([16000n]) });
  const some = synthesizeInputs(inputs, { x: [2, 3], rate: [] }, 1, {}, { rate: { constant: 1 } });
  assert.equal(some.x.data.length, 6);
});

test('--inputs DIR reads a test_data_set folder by tensor name', () => {
  const set = join(dir, 'test_data_set_0');
  mkdirSync(set);
  writeFileSync(join(set, 'input_1.pb'), onnx.TensorProto.encode({ name: 'rate', dims: [], dataType: 7, int64Data: [8000] }).finish());
  writeFileSync(join(set, 'input_0.pb'), onnx.TensorProto.encode({ name: '', dims: [1, 3], dataType: 1, floatData: [1, 2, 3] }).finish());
  const r = resolveGivenInputs(inputs, { dir: set });
  assert.deepEqual(Object.keys(r.given).sort(), ['rate', 'x']);
  assert.deepEqual(r.fileShapes, { rate: [], x: [1, 3] });
});

test('a bad feed is one line naming the input, what was given and what the model declares', () => {
  const wrongType = npy(join(dir, 'f64.npy'), [2, 3], [1, 2, 3, 4, 5, 6], '<f8');
  const wrongRank = npy(join(dir, 'rank.npy'), [6], [1, 2, 3, 4, 5, 6]);
  const cases: [string[], RegExp][] = [
    [['nope=1'], /--input nope=1: the model has no input "nope"; its inputs: x float32 \[batch, 3\], rate int64 \[\]/],
    [[`x=${wrongType}`], /the file holds float64 data \[2, 3\]; the model declares x as float32 \[batch, 3\]/],
    [[`x=${wrongRank}`], /the file holds shape \[6\]; the model declares x as float32 \[batch, 3\]/],
    [['x=/no/such/file.npy'], /is neither a number \(or true\/false\) nor an existing file/],
    [['x'], /--input: "x" is not valid; allowed: NAME=VALUE/],
  ];
  for (const [entries, pattern] of cases) {
    assert.throws(() => resolveGivenInputs(inputs, { entries }), (e: Error) => e instanceof InputError && pattern.test(e.message) && !e.message.includes('\n'), entries[0]);
  }
});

test('run takes --input from the CLI; a feed whose batch does not match is exit 2', () => {
  const model = writeModel(dir, 'add.onnx', addModelBytes(3));
  const file = npy(join(dir, 'two.npy'), [2, 3], [1, 2, 3, 4, 5, 6]);
  const fast = ['--runtime', 'ort-node', '--min-time', '20ms', '--max-time', '500ms', '--min-samples', '3', '--warmup', '1', '-q'];
  const ok = runCli(['run', model, '--input', `x=${file}`, '--batch', '2', '--out', join(dir, 'ok.jsonl'), ...fast]);
  assert.equal(ok.code, 0, ok.stderr);
  const bad = runCli(['run', model, '--input', `x=${file}`, '--batch', '4', ...fast]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--input x: the file holds shape \[2, 3\], the trial at --batch 4 needs \[4, 3\]/);
});
