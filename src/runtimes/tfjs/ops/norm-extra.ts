/**
 * Normalizations beyond the inference BatchNormalization and LayerNormalization:
 * InstanceNormalization, LRN, MeanVarianceNormalization, and BatchNormalization
 * in training mode (batch statistics and the updated running mean and variance).
 */
import * as tf from '@tensorflow/tfjs-core';
import { floatAttr, intAttr, intsAttr } from '../attrs.js';
import { asOnnx, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

/** A per-channel vector shaped [C, 1, ...] to broadcast over the trailing axes of a rank-`rank` [N, C, ...] tensor. */
function perChannel(v: tf.Tensor, rank: number): tf.Tensor {
  return tf.reshape(v, [-1, ...Array(Math.max(rank - 2, 0)).fill(1)]);
}

function instanceNorm(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const axes = x.shape.slice(2).map((_, i) => i + 2);
  const { mean, variance } = tf.moments(x, axes, true);
  const y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, floatAttr(ctx.node, 'epsilon', 1e-5))));
  return [onnxValue(tf.add(tf.mul(y, perChannel(asOnnx(input(ctx, 1)), x.rank)), perChannel(asOnnx(input(ctx, 2)), x.rank)))];
}

/** y = x / (bias + alpha / size * sum of squares over a window of `size` channels) ^ beta. */
function lrn(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const size = intAttr(ctx.node, 'size', 1);
  const alpha = floatAttr(ctx.node, 'alpha', 1e-4);
  const beta = floatAttr(ctx.node, 'beta', 0.75);
  const bias = floatAttr(ctx.node, 'bias', 1);
  const channels = x.shape[1]!;
  const before = Math.floor((size - 1) / 2);
  const padded = tf.pad(tf.square(x), x.shape.map((_, i): [number, number] => (i === 1 ? [before, size - 1 - before] : [0, 0])));
  let sum: tf.Tensor | undefined;
  for (let k = 0; k < size; k++) {
    const part = tf.slice(padded, x.shape.map((_, i) => (i === 1 ? k : 0)), x.shape.map((d, i) => (i === 1 ? channels : d)));
    sum = sum ? tf.add(sum, part) : part;
  }
  return [onnxValue(tf.div(x, tf.pow(tf.add(bias, tf.mul(alpha / size, sum!)), beta)))];
}

function meanVarianceNorm(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const axes = intsAttr(ctx.node, 'axes', [0, 2, 3]);
  const { mean, variance } = tf.moments(x, axes, true);
  // The ONNX function body adds 1e-9 under the square root.
  return [onnxValue(tf.div(tf.sub(x, mean), tf.add(tf.sqrt(variance), 1e-9)))];
}

/** Training mode: normalise with the batch's own statistics; outputs 2 and 3 are the updated running mean and variance. */
export function batchNormTraining(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const [scale, bias, runMean, runVar] = [1, 2, 3, 4].map((i) => asOnnx(input(ctx, i)));
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const { mean, variance } = tf.moments(x, axes);
  const eps = floatAttr(ctx.node, 'epsilon', 1e-5);
  const momentum = floatAttr(ctx.node, 'momentum', 0.9);
  const norm = tf.mul(tf.sub(x, perChannel(mean, x.rank)), perChannel(tf.rsqrt(tf.add(variance, eps)), x.rank));
  const y = tf.add(tf.mul(norm, perChannel(scale, x.rank)), perChannel(bias, x.rank));
  const blend = (run: tf.Tensor, now: tf.Tensor) => tf.add(tf.mul(run, momentum), tf.mul(now, 1 - momentum));
  return [onnxValue(y), onnxValue(blend(runMean, mean)), onnxValue(blend(runVar, variance))];
}

export const NORM_EXTRA_OPS: OpTable = {
  InstanceNormalization: { run: instanceNorm },
  LRN: { run: lrn },
  MeanVarianceNormalization: { run: meanVarianceNorm },
};
