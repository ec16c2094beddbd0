/**
 * BatchNormalization (inference form, turned at session creation into one
 * multiply and one add per channel; after a Conv the fusion pass folds it
 * into the conv instead) and LayerNormalization.
 */
import * as tf from '@tensorflow/tfjs-core';
import { floatAttr, intAttr } from '../attrs.js';
import { asNhwc, asOnnx, nhwcValue, normAxis, onnxValue, type Value } from '../values.js';
import { batchNormTraining } from './norm-extra.js';
import { input, type OpContext, type OpTable, type PrepareContext } from './types.js';

interface ChannelAffine {
  scale: tf.Tensor1D;
  shift: tf.Tensor1D;
}

/** y = x * s + (beta - mean * s), s = gamma / sqrt(var + eps): two cheap element-wise passes. */
function affineOf(scale: tf.Tensor, bias: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, epsilon: number): ChannelAffine {
  const s = tf.mul(scale, tf.rsqrt(tf.add(variance, epsilon))) as tf.Tensor1D;
  return { scale: s, shift: tf.sub(bias, tf.mul(mean, s)) as tf.Tensor1D };
}

function prepareBatchNorm(ctx: PrepareContext): ChannelAffine | undefined {
  if (intAttr(ctx.node, 'training_mode', 0) === 1) return undefined;
  const consts = ctx.node.inputs.slice(1, 5).map((name) => ctx.constant(name));
  if (consts.some((c) => !c)) return undefined;
  const [scale, bias, mean, variance] = consts.map((c) => c!.tensor);
  const affine = tf.tidy(() => affineOf(scale, bias, mean, variance, floatAttr(ctx.node, 'epsilon', 1e-5)) as unknown as tf.TensorContainer) as unknown as ChannelAffine;
  return { scale: ctx.keep(affine.scale), shift: ctx.keep(affine.shift) };
}

function batchNorm(ctx: OpContext): Value[] {
  const { node } = ctx;
  if (intAttr(node, 'training_mode', 0) === 1) return batchNormTraining(ctx);
  const affine = (ctx.prepared as ChannelAffine | undefined)
    ?? affineOf(...([1, 2, 3, 4].map((i) => asOnnx(input(ctx, i))) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]), floatAttr(node, 'epsilon', 1e-5));
  const x = input(ctx, 0);
  // Channels-last, the per-channel vectors broadcast over the last axis.
  // (tf.batchNorm would be one kernel, but the wasm one is several times slower than this multiply-add.)
  if (x.tensor.rank === 4) return [nhwcValue(tf.add(tf.mul(asNhwc(x), affine.scale), affine.shift))];
  const t = asOnnx(x);
  // Channels are axis 1 here: shape the per-channel vectors [C, 1, ...] so they broadcast over the trailing axes.
  const perChannel = [t.shape[1], ...Array(Math.max(t.rank - 2, 0)).fill(1)];
  return [onnxValue(tf.add(tf.mul(t, tf.reshape(affine.scale, perChannel)), tf.reshape(affine.shift, perChannel)))];
}

function layerNorm(ctx: OpContext): Value[] {
  const { node } = ctx;
  const x = asOnnx(input(ctx, 0));
  const axis = normAxis(intAttr(node, 'axis', -1), x.rank);
  const axes = Array.from({ length: x.rank - axis }, (_, i) => axis + i);
  const { mean, variance } = tf.moments(x, axes, true);
  const invStdDev = tf.rsqrt(tf.add(variance, floatAttr(node, 'epsilon', 1e-5)));
  let y = tf.mul(tf.sub(x, mean), invStdDev);
  y = tf.mul(y, asOnnx(input(ctx, 1)));
  if (ctx.inputs[2]) y = tf.add(y, asOnnx(ctx.inputs[2]));
  // The optional outputs Mean and InvStdDev keep the normalised axes as size 1.
  return [onnxValue(y), onnxValue(mean), onnxValue(invStdDev)];
}

export const NORMALIZATION_OPS: OpTable = {
  BatchNormalization: { prepare: prepareBatchNorm, run: batchNorm, absorbs: (prepared) => (prepared ? [1, 2, 3, 4] : []) },
  LayerNormalization: { run: layerNorm },
};
