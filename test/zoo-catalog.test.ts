/** Parameter counts, MACs and output shapes of every zoo model, from the graph spec (no weights made). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listZoo } from '../src/zoo/catalog.js';
import { buildZoo } from '../src/zoo/build.js';
import { inferShapes } from '../src/onnx/flops.js';

const PARAMS: Record<string, number> = {
  resnet50: 25_557_032,
  vgg19: 143_667_240,
  densenet201: 20_013_928,
  'efficientnet-b0': 5_288_548,
  mobilenetv2: 3_504_872,
  'bert-base': 109_482_240,
};

/** Published MACs per image (torchvision's GFLOPS column) and BERT-base at sequence 128. */
const PUBLISHED_MACS: Record<string, number> = {
  resnet50: 4.09e9,
  vgg19: 19.63e9,
  densenet201: 4.29e9,
  'efficientnet-b0': 0.39e9,
  mobilenetv2: 0.30e9,
  'bert-base': 11.2e9,
};

test('parameter counts are exactly those of the reference definitions', () => {
  const byName = new Map(listZoo().map((e) => [e.name, e]));
  for (const [name, params] of Object.entries(PARAMS)) assert.equal(byName.get(name)?.params, params, name);
  // bert-small: 4 layers of hidden 256 with the full vocabulary and position table.
  assert.equal(byName.get('bert-small')?.params, 11_170_560);
});

test('MACs per item are within 2% of the published figures', () => {
  for (const e of listZoo()) {
    const published = PUBLISHED_MACS[e.name];
    if (published) assert.ok(Math.abs(e.macs / published - 1) < 0.02, `${e.name}: ${e.macs} vs ${published}`);
  }
});

test('the catalog lists names, inputs and outputs as the design says', () => {
  const entries = listZoo();
  assert.deepEqual(entries.map((e) => e.name), [
    'resnet50', 'vgg19', 'densenet201', 'efficientnet-b0', 'mobilenetv2', 'bert-base', 'bert-small',
    'resnet-tiny', 'vgg-tiny', 'densenet-tiny', 'efficientnet-tiny', 'mobilenet-tiny', 'bert-tiny',
  ]);
  const resnet = entries[0];
  assert.deepEqual(resnet.inputs, [{ name: 'input', dtype: 'float32', shape: ['batch', 3, 224, 224] }]);
  assert.deepEqual(resnet.outputs, [{ name: 'logits', dtype: 'float32', shape: ['batch', 1000] }]);
  const bert = entries.find((e) => e.name === 'bert-base')!;
  assert.deepEqual(bert.inputs.map((i) => [i.name, i.dtype, i.shape]), [
    ['input_ids', 'int64', ['batch', 128]], ['attention_mask', 'int64', ['batch', 128]], ['token_type_ids', 'int64', ['batch', 128]],
  ]);
  assert.deepEqual(bert.outputs.map((o) => o.name), ['last_hidden_state', 'pooler_output']);
});

test('inferred output shapes of the full graphs match their declared outputs', () => {
  for (const name of ['resnet50', 'vgg19', 'densenet201', 'efficientnet-b0', 'mobilenetv2']) {
    const ir = buildZoo(name, { batch: 3 }).g.toGraphIR();
    assert.deepEqual(inferShapes(ir, { batch: 3 }).get('logits'), [3, 1000], name);
  }
  const bert = buildZoo('bert-base', { seq: 64 }).g.toGraphIR();
  const shapes = inferShapes(bert, { batch: 2 });
  assert.deepEqual(shapes.get('last_hidden_state'), [2, 64, 768]);
  assert.deepEqual(shapes.get('pooler_output'), [2, 768]);
});

test('tiny variants share their family and have small MACs', () => {
  for (const e of listZoo().filter((x) => x.name.endsWith('-tiny'))) {
    assert.ok(e.macs < 2e6 && e.params < 1e5, `${e.name} must stay tiny`);
    assert.ok(listZoo().some((f) => f.family === e.family && !f.name.endsWith('-tiny')), e.name);
  }
});
