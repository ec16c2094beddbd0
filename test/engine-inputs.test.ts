import { test } from 'node:test';
import assert from 'node:assert/strict';
import { synthesizeInputs } from '../src/engine/inputs.js';
import type { TensorInfo } from '../src/runtimes/runtime.js';

const inputs: TensorInfo[] = [
  { name: 'pixels', dtype: 'float32', shape: ['batch', 8] },
  { name: 'input_ids', dtype: 'int64', shape: ['batch', 16] },
  { name: 'attention_mask', dtype: 'int64', shape: ['batch', 16] },
  { name: 'token_type_ids', dtype: 'int64', shape: ['batch', 16] },
];
const shapes = { pixels: [2, 8], input_ids: [2, 16], attention_mask: [2, 16], token_type_ids: [2, 16] };

test('the same seed gives the same inputs, another seed others', () => {
  const a = synthesizeInputs(inputs, shapes, 7);
  const b = synthesizeInputs(inputs, shapes, 7);
  const c = synthesizeInputs(inputs, shapes, 8);
  assert.deepEqual(a.pixels.data, b.pixels.data);
  assert.notDeepEqual(a.pixels.data, c.pixels.data);
});

test('floats are in [-1, 1) and vary', () => {
  const data = synthesizeInputs(inputs, shapes, 1).pixels.data as Float32Array;
  assert.equal(data.length, 16);
  assert.ok([...data].every((v) => v >= -1 && v < 1));
  assert.ok(new Set(data).size > 8);
});

test('token ids stay in the vocabulary, masks are ones and segment ids zeros', () => {
  const t = synthesizeInputs(inputs, shapes, 1, { input_ids: [0, 30] });
  const ids = [...(t.input_ids.data as BigInt64Array)].map(Number);
  assert.ok(ids.every((v) => v >= 0 && v < 30));
  assert.ok(new Set(ids).size > 5);
  assert.ok([...(t.attention_mask.data as BigInt64Array)].every((v) => v === 1n));
  assert.ok([...(t.token_type_ids.data as BigInt64Array)].every((v) => v === 0n));
});
