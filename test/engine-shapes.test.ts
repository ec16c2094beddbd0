import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveInputShapes } from '../src/engine/shapes.js';
import { InputError } from '../src/errors/input-error.js';
import type { TensorInfo } from '../src/runtimes/runtime.js';

const image: TensorInfo = { name: 'input', dtype: 'float32', shape: ['batch', 3, 224, 224] };
const text: TensorInfo[] = [
  { name: 'input_ids', dtype: 'int64', shape: ['batch', 'sequence'] },
  { name: 'attention_mask', dtype: 'int64', shape: ['batch', 'sequence'] },
];
const none = { dims: {}, shapes: {} };

test('the first dimension follows the batch, fixed dimensions stay', () => {
  assert.deepEqual(resolveInputShapes([image], 8, none), { input: [8, 3, 224, 224] });
});

test('symbolic dimensions are bound by --dim, and an unbound one is named', () => {
  assert.deepEqual(resolveInputShapes(text, 2, { dims: { sequence: 128 }, shapes: {} }), {
    input_ids: [2, 128], attention_mask: [2, 128],
  });
  assert.throws(() => resolveInputShapes(text, 2, none), (e: Error) => e instanceof InputError && /sequence/.test(e.message) && /--dim sequence=VALUE/.test(e.message));
});

test('--shape gives a whole shape whose first dimension follows --batch', () => {
  const dyn: TensorInfo = { name: 'x', dtype: 'float32', shape: ['batch', 'c', 'h', 'w'] };
  assert.deepEqual(resolveInputShapes([dyn], 4, { dims: {}, shapes: { x: [1, 3, 32, 32] } }), { x: [4, 3, 32, 32] });
});

test('a --shape that does not fit the model is an input error naming it', () => {
  assert.throws(() => resolveInputShapes([image], 1, { dims: {}, shapes: { input: [1, 3, 224] } }), /3 dimensions|4 dimensions/);
  assert.throws(() => resolveInputShapes([image], 1, { dims: {}, shapes: { input: [1, 3, 100, 100] } }), /fixed at 224/);
  assert.throws(() => resolveInputShapes([image], 1, { dims: {}, shapes: { nope: [1] } }), /no input "nope".*input/);
});

test('a fixed batch dimension rejects another batch size', () => {
  const fixed: TensorInfo = { name: 'x', dtype: 'float32', shape: [1, 4] };
  assert.deepEqual(resolveInputShapes([fixed], 1, none), { x: [1, 4] });
  assert.throws(() => resolveInputShapes([fixed], 8, none), /fixed batch dimension of 1/);
});

test('the batch axis is the one carrying the batch name; inputs without it keep their declared shape', () => {
  const rnn: TensorInfo[] = [
    { name: 'x', dtype: 'float32', shape: ['seq', 'batch', 16] },
    { name: 'h0', dtype: 'float32', shape: [2, 'batch', 64] },
    { name: 'rate', dtype: 'float32', shape: [] },
    { name: 'table', dtype: 'float32', shape: [10, 4] },
  ];
  assert.deepEqual(resolveInputShapes(rnn, 8, { dims: { seq: 5 }, shapes: {} }), { x: [5, 8, 16], h0: [2, 8, 64], rate: [], table: [10, 4] });
});

test('--batch-dim names the batch when the model uses another word', () => {
  const m: TensorInfo[] = [{ name: 'x', dtype: 'float32', shape: ['n_items', 'len', 3] }, { name: 'k', dtype: 'int64', shape: ['len'] }];
  assert.deepEqual(resolveInputShapes(m, 4, { dims: { len: 7 }, shapes: {}, batchDim: 'n_items' }), { x: [4, 7, 3], k: [7] });
  assert.deepEqual(resolveInputShapes(m, 4, { dims: { n_items: 2 }, shapes: {}, batchDim: 'len' }), { x: [2, 4, 3], k: [4] });
  assert.throws(() => resolveInputShapes(m, 4, { dims: {}, shapes: {}, batchDim: 'items' }), /--batch-dim: no input has a dimension named "items"; the model's symbolic dimensions: n_items, len/);
});

test('a model with no batch dimension runs at its declared shape', () => {
  const m: TensorInfo[] = [{ name: 'a', dtype: 'float32', shape: [3, 4] }, { name: 's', dtype: 'int64', shape: [] }];
  assert.deepEqual(resolveInputShapes(m, 1, none), { a: [3, 4], s: [] });
  assert.throws(() => resolveInputShapes(m, 8, none), /--batch 8: the model declares no batch dimension/);
});
