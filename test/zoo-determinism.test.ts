/** The same name, seed and opset give the same bytes, on any machine (the hash is pinned). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildZoo, zooModelBytes } from '../src/zoo/build.js';
import { decodeModel } from '../src/onnx/read.js';
import { toGraphIR } from '../src/onnx/ir.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** If this changes, the weights or graph changed: bump the family's archVersion in src/zoo/definitions.ts. */
const PINNED: Record<string, string> = {
  'resnet-tiny': 'f59cbdcfbc6952d5539a41138ba153eb9bfd4b3a0e460a2a4be19bacdb200a85',
  'bert-tiny': 'f4bf097db130fafe29d26f5b971ccf95e54e6fd75729ca436f4bdaf948091a82',
};

test('bytes are identical across builds and pinned across machines', () => {
  for (const [name, pinned] of Object.entries(PINNED)) {
    const a = zooModelBytes(name, { seed: 0, opset: 17 });
    const b = zooModelBytes(name, { seed: 0, opset: 17 });
    assert.equal(sha(a), sha(b), name);
    assert.equal(sha(a), pinned, `${name}: sha256 changed`);
  }
});

test('another seed gives other weights; the graph stays the same', () => {
  const a = toGraphIR(decodeModel(buildZoo('vgg-tiny', { seed: 1 }).g.toBytes()));
  const b = toGraphIR(decodeModel(buildZoo('vgg-tiny', { seed: 2 }).g.toBytes()));
  assert.deepEqual(a.nodes, b.nodes);
  const wa = a.initializers.get('features.0.weight')!.data as Float32Array;
  const wb = b.initializers.get('features.0.weight')!.data as Float32Array;
  assert.notDeepEqual([...wa], [...wb]);
});

test('weights are scaled like a real initialisation', () => {
  const ir = toGraphIR(decodeModel(buildZoo('resnet-tiny').g.toBytes()));
  const conv = ir.initializers.get('layer1.0.conv2.weight')!; // [4, 4, 3, 3]: fan_in 36, He bound sqrt(6/36)
  const bound = Math.sqrt(6 / 36);
  const w = conv.data as Float32Array;
  assert.ok(w.every((v) => Math.abs(v) <= bound));
  assert.ok(Math.max(...w.map(Math.abs)) > 0.8 * bound);
  const gamma = ir.initializers.get('layer1.0.bn1.weight')!.data as Float32Array;
  assert.ok(gamma.every((v) => v >= 0.9 && v <= 1.1), 'batch norm scale near 1');
  const emb = toGraphIR(decodeModel(buildZoo('bert-tiny').g.toBytes())).initializers.get('embeddings.word_embeddings.weight')!;
  assert.ok((emb.data as Float32Array).every((v) => Math.abs(v) < 0.035), 'embeddings small');
});
