/** uint16/32/64, float16 and bfloat16 (tagged 16-bit data) through predict(); sequences get a clear refusal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onnx } from '../src/onnx/read.js';
import { load } from '../src/api/load.js';
import type { DType, HostTensor } from '../src/core/tensors.js';
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from '../src/core/half.js';
import { synthesizeInput } from '../src/runner/inputs.js';
import { tempDir, writeModel } from './helpers/models.js';

const T = onnx.TensorProto.DataType;
const dir = tempDir();

function identityModel(elemType: number, name: string): string {
  const vi = (n: string) => ({ name: n, type: { tensorType: { elemType, shape: { dim: [{ dimValue: 2 }, { dimParam: 'n' }] } } } });
  const bytes = onnx.ModelProto.encode({
    irVersion: 8, producerName: 'infermark-test', opsetImport: [{ domain: '', version: 17 }],
    graph: { name, node: [{ opType: 'Identity', input: ['x'], output: ['y'], name: 'id' }], input: [vi('x')], output: [vi('y')] },
  }).finish();
  return writeModel(dir, `${name}.onnx`, bytes);
}

const CASES: [DType, number, HostTensor['data']][] = [
  ['uint16', T.UINT16, Uint16Array.from([0, 1, 65535, 300, 7, 9])],
  ['uint32', T.UINT32, Uint32Array.from([0, 1, 4294967295, 70000, 7, 9])],
  ['uint64', T.UINT64, BigUint64Array.from([0n, 1n, 18446744073709551615n, 70000n, 7n, 9n])],
  ['float16', T.FLOAT16, Uint16Array.from([0x3c00, 0xc000, 0x3555, 0, 0x7bff, 0x0001])],
];

for (const [dtype, elem, data] of CASES) {
  test(`ort-node: predict() carries ${dtype} in and out with its exact values`, async () => {
    const model = await load(identityModel(elem, `id-${dtype}`), { runtime: 'ort-node' });
    try {
      assert.equal(model.inputs[0].dtype, dtype);
      const out = await model.predict({ x: { dtype, shape: [2, 3], data } });
      assert.equal(out.y.dtype, dtype);
      assert.deepEqual(out.y.shape, [2, 3]);
      assert.deepEqual([...out.y.data], [...data]);
    } finally {
      await model.dispose();
    }
  });
}

test('tfjs: predict() returns float16 and bfloat16 as their 16-bit patterns, and uint16 values', async () => {
  const cases: [DType, number, Uint16Array][] = [
    ['float16', T.FLOAT16, Uint16Array.from([0x3c00, 0xc000, 0x3555, 0, 0x7bff, 0x0001])],
    ['bfloat16', T.BFLOAT16, Uint16Array.from([0x3f80, 0xc000, 0x3eaa, 0, 0x7f7f, 0x4049])],
    ['uint16', T.UINT16, Uint16Array.from([0, 1, 60000, 300, 7, 9])],
  ];
  for (const [dtype, elem, data] of cases) {
    const model = await load(identityModel(elem, `tfjs-${dtype}`), { runtime: 'tfjs' });
    try {
      const out = await model.predict({ x: { dtype, shape: [2, 3], data } });
      assert.equal(out.y.dtype, dtype);
      assert.deepEqual([...out.y.data], [...data], dtype);
    } finally {
      await model.dispose();
    }
  }
});

test('16-bit float conversions round-trip and synthetic inputs cover every new dtype', () => {
  for (const v of [1, -2, 0.333251953125, 65504, 0]) assert.equal(halfToFloat(floatToHalf(v)), v);
  for (const v of [1, -2, 0.33203125, 3.140625, 0]) assert.equal(bfloat16ToFloat(floatToBfloat16(v)), v);
  for (const dtype of ['uint16', 'uint32', 'uint64', 'float16', 'bfloat16'] as DType[]) {
    const t = synthesizeInput({ name: 'x', dtype, shape: [2, 2] }, [2, 2], 7);
    assert.equal(t.data.length, 4, dtype);
  }
  const b = synthesizeInput({ name: 'x', dtype: 'bfloat16', shape: [64] }, [64], 7);
  assert.ok([...b.data as Uint16Array].every((bits) => Math.abs(bfloat16ToFloat(bits)) <= 1));
});

test('a sequence output is refused with "not supported by RUNTIME"', async () => {
  const bytes = onnx.ModelProto.encode({
    irVersion: 8, producerName: 'infermark-test', opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'seq',
      node: [{ opType: 'SequenceConstruct', input: ['x'], output: ['s'], name: 'seq' }],
      input: [{ name: 'x', type: { tensorType: { elemType: T.FLOAT, shape: { dim: [{ dimValue: 2 }] } } } }],
      output: [{ name: 's', type: { sequenceType: { elemType: { tensorType: { elemType: T.FLOAT } } } } }],
    },
  }).finish();
  const path = writeModel(dir, 'seq.onnx', bytes);
  for (const runtime of ['ort-node', 'tfjs']) {
    await assert.rejects(load(path, { runtime }), new RegExp(`^Error: output s is a sequence: not supported by ${runtime} \\(tensor inputs and outputs only\\)$`));
  }
});
