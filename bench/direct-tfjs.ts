/**
 * ResNet-50 (v1.5, BatchNorm folded into the convolutions, as the importer
 * folds it) and BERT-small written directly with TensorFlow.js ops, NHWC:
 * what a TensorFlow.js user would write by hand. Weights are seeded random
 * of the real shapes: the cost of a network does not depend on its values.
 */
import * as tf from '@tensorflow/tfjs-core';

const w = (shape: number[], scale = 0.05) => tf.keep(tf.randomUniform(shape, -scale, scale, 'float32', 7));

interface Conv { filter: tf.Tensor4D; bias: tf.Tensor1D; stride: number }
const conv = (k: number, cin: number, cout: number, stride: number): Conv => ({ filter: w([k, k, cin, cout]) as tf.Tensor4D, bias: w([cout]) as tf.Tensor1D, stride });
const apply = (x: tf.Tensor4D, c: Conv, relu: boolean) => tf.fused.conv2d({ x, filter: c.filter, bias: c.bias, strides: c.stride, pad: 'same', activation: relu ? 'relu' : 'linear' });

export function resnet50(): (x: tf.Tensor4D) => tf.Tensor {
  const stem = conv(7, 3, 64, 2);
  const blocks: { a: Conv; b: Conv; c: Conv; down?: Conv }[] = [];
  let cin = 64;
  for (const [mid, out, count, stride] of [[64, 256, 3, 1], [128, 512, 4, 2], [256, 1024, 6, 2], [512, 2048, 3, 2]]) {
    for (let i = 0; i < count; i++) {
      const s = i === 0 ? stride : 1;
      blocks.push({ a: conv(1, cin, mid, 1), b: conv(3, mid, mid, s), c: conv(1, mid, out, 1), ...(i === 0 ? { down: conv(1, cin, out, s) } : {}) });
      cin = out;
    }
  }
  const fc = w([2048, 1000]) as tf.Tensor2D;
  const fcBias = w([1000]);
  return (x) => tf.tidy(() => {
    let y = tf.maxPool(apply(x, stem, true), 3, 2, 'same');
    for (const b of blocks) {
      const main = apply(apply(apply(y, b.a, true), b.b, true), b.c, false);
      y = tf.relu(tf.add(main, b.down ? apply(y, b.down, false) : y));
    }
    return tf.fused.matMul({ a: tf.mean(y, [1, 2]) as tf.Tensor2D, b: fc, bias: fcBias });
  });
}

export interface BertShape { vocab: number; hidden: number; layers: number; heads: number; intermediate: number; seq: number }

export function bert(cfg: BertShape): (ids: tf.Tensor2D, mask: tf.Tensor2D, types: tf.Tensor2D) => tf.Tensor[] {
  const h = cfg.hidden;
  const dh = h / cfg.heads;
  const words = w([cfg.vocab, h]);
  const typeRows = w([2, h]);
  const positions = w([cfg.seq, h]);
  const norm = () => ({ g: w([h]), b: w([h]) });
  const dense = (i: number, o: number) => ({ k: w([i, o]) as tf.Tensor2D, b: w([o]) });
  const layers = Array.from({ length: cfg.layers }, () => ({
    q: dense(h, h), k: dense(h, h), v: dense(h, h), o: dense(h, h), n1: norm(), up: dense(h, cfg.intermediate), down: dense(cfg.intermediate, h), n2: norm(),
  }));
  const n0 = norm();
  const pool = dense(h, h);
  const layerNorm = (x: tf.Tensor, n: { g: tf.Tensor; b: tf.Tensor }) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-12))), n.g), n.b);
  };
  const lin = (x: tf.Tensor2D, d: { k: tf.Tensor2D; b: tf.Tensor }) => tf.fused.matMul({ a: x, b: d.k, bias: d.b });
  return (ids, mask, types) => tf.tidy(() => {
    const [B, S] = ids.shape;
    let x = tf.reshape(layerNorm(tf.add(tf.add(tf.gather(words, ids), tf.gather(typeRows, types)), positions), n0), [B * S, h]) as tf.Tensor2D;
    const blocked = tf.reshape(tf.mul(tf.sub(1, tf.cast(mask, 'float32')), -10000), [B, 1, 1, S]);
    const heads = (t: tf.Tensor, perm: number[]) => tf.transpose(tf.reshape(t, [B, S, cfg.heads, dh]), perm);
    for (const l of layers) {
      const q = heads(lin(x, l.q), [0, 2, 1, 3]);
      const k = heads(lin(x, l.k), [0, 2, 3, 1]);
      const v = heads(lin(x, l.v), [0, 2, 1, 3]);
      const probs = tf.softmax(tf.add(tf.div(tf.matMul(q as tf.Tensor4D, k as tf.Tensor4D), Math.sqrt(dh)), blocked));
      const ctx = tf.reshape(tf.transpose(tf.matMul(probs as tf.Tensor4D, v as tf.Tensor4D), [0, 2, 1, 3]), [B * S, h]) as tf.Tensor2D;
      const attended = layerNorm(tf.add(lin(ctx, l.o), x), l.n1) as tf.Tensor2D;
      const up = lin(attended, l.up);
      const gelu = tf.mul(tf.mul(up, 0.5), tf.add(tf.erf(tf.mul(up, Math.SQRT1_2)), 1)) as tf.Tensor2D;
      x = layerNorm(tf.add(lin(gelu, l.down), attended), l.n2) as tf.Tensor2D;
    }
    const last = tf.reshape(x, [B, S, h]);
    const first = tf.reshape(tf.gather(last, [0], 1), [B, h]) as tf.Tensor2D;
    return [last, tf.tanh(lin(first, pool))];
  });
}
