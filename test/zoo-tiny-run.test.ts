/** Every tiny variant loads and runs in onnxruntime-node, with finite outputs that depend on the input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { buildZoo } from '../src/zoo/build.js';
import { createPrng } from '../src/random/prng.js';

const TINY = ['resnet-tiny', 'vgg-tiny', 'densenet-tiny', 'efficientnet-tiny', 'mobilenet-tiny', 'bert-tiny'];
const BATCH = 2;

function feeds(name: string, seed: number): Record<string, ort.Tensor> {
  const prng = createPrng(seed);
  if (name.startsWith('bert')) {
    const n = BATCH * 16;
    const ids = BigInt64Array.from({ length: n }, () => BigInt(prng.int(0, 1000)));
    // The second sequence pads its last 5 tokens, so the mask path is exercised.
    const mask = BigInt64Array.from({ length: n }, (_, i) => (i >= 16 + 11 ? 0n : 1n));
    const types = BigInt64Array.from({ length: n }, (_, i) => (i % 16 >= 8 ? 1n : 0n));
    return {
      input_ids: new ort.Tensor('int64', ids, [BATCH, 16]),
      attention_mask: new ort.Tensor('int64', mask, [BATCH, 16]),
      token_type_ids: new ort.Tensor('int64', types, [BATCH, 16]),
    };
  }
  const data = Float32Array.from({ length: BATCH * 3 * 32 * 32 }, () => prng.uniform(-1, 1));
  return { input: new ort.Tensor('float32', data, [BATCH, 3, 32, 32]) };
}

function check(out: Float32Array, what: string): void {
  assert.ok(out.every(Number.isFinite), `${what}: outputs must be finite`);
  const min = Math.min(...out);
  const max = Math.max(...out);
  assert.ok(max - min > 1e-6, `${what}: outputs must not be constant (min ${min}, max ${max})`);
}

for (const name of TINY) {
  test(`${name} runs in onnxruntime-node with optimisations disabled and all`, async () => {
    const bytes = buildZoo(name).g.toBytes({ opset: 17 });
    const results: Float32Array[] = [];
    for (const level of ['disabled', 'all'] as const) {
      const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: level, intraOpNumThreads: 1 });
      const a = await session.run(feeds(name, 1));
      const b = await session.run(feeds(name, 2));
      const outName = name.startsWith('bert') ? 'pooler_output' : 'logits';
      const width = name.startsWith('bert') ? 32 : 10;
      assert.deepEqual(a[outName].dims, [BATCH, width]);
      if (name.startsWith('bert')) assert.deepEqual(a.last_hidden_state.dims, [BATCH, 16, 32]);
      const x = a[outName].data as Float32Array;
      const y = b[outName].data as Float32Array;
      check(x, `${name} (${level})`);
      assert.ok(x.some((v, i) => Math.abs(v - y[i]) > 1e-4), `${name}: outputs must change with the input`);
      // The two items of one batch differ too (different inputs, per-item computation).
      assert.ok(x.slice(0, width).some((v, i) => Math.abs(v - x[width + i]) > 1e-4), `${name}: items of a batch must differ`);
      results.push(x);
      await session.release();
    }
    const [plain, optimised] = results;
    const scale = Math.max(...plain.map(Math.abs));
    assert.ok(plain.every((v, i) => Math.abs(v - optimised[i]) <= 1e-3 * Math.max(1, scale)), `${name}: optimised graph must agree`);
  });
}

test('tiny models load and agree at every supported opset (LayerNormalization decomposed below 17)', async () => {
  const { SUPPORTED_OPSETS } = await import('../src/zoo/build-options.js');
  for (const name of ['bert-tiny', 'efficientnet-tiny']) {
    let reference: Float32Array | undefined;
    for (const opset of SUPPORTED_OPSETS) {
      const session = await ort.InferenceSession.create(buildZoo(name, { opset }).g.toBytes({ opset }), { intraOpNumThreads: 1 });
      const out = (await session.run(feeds(name, 1)))[name.startsWith('bert') ? 'pooler_output' : 'logits'].data as Float32Array;
      reference ??= out;
      assert.ok(out.every((v, i) => Math.abs(v - reference![i]) < 1e-4), `${name} at opset ${opset} must agree with opset 13`);
      await session.release();
    }
  }
});

test('the full MobileNetV2 (224x224) runs with finite, input-dependent logits', async () => {
  const { zooModelBytes } = await import('../src/zoo/build.js');
  const session = await ort.InferenceSession.create(zooModelBytes('mobilenetv2'), { intraOpNumThreads: 1 });
  const run = async (seed: number) => {
    const prng = createPrng(seed);
    const input = new ort.Tensor('float32', Float32Array.from({ length: 3 * 224 * 224 }, () => prng.uniform(-1, 1)), [1, 3, 224, 224]);
    const out = (await session.run({ input })).logits;
    assert.deepEqual(out.dims, [1, 1000]);
    return out.data as Float32Array;
  };
  const a = await run(1);
  const b = await run(2);
  check(a, 'mobilenetv2');
  assert.ok(a.some((v, i) => Math.abs(v - b[i]) > 1e-3));
  await session.release();
});
