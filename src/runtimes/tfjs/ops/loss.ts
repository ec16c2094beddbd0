/** The loss operators: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (with its log_prob output). */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, stringAttr } from '../attrs.js';
import { asOnnx, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

/**
 * Classes on axis 1 moved last, the other axes flattened: [N, C, d1..] -> [N, D, C].
 * (Staying at rank 3 also keeps clear of backends' rank limits: wasm mis-transposes rank 7.)
 */
function classesLast(x: tf.Tensor): tf.Tensor {
  if (x.rank === 2) return x;
  return tf.transpose(tf.reshape(x, [x.shape[0], x.shape[1]!, -1]), [0, 2, 1]);
}

/**
 * loss[n, d..] = -logProb[n, target, d..] * weight[target], zero where the
 * target is ignore_index; 'mean' divides the sum by the sum of the weights used.
 */
function nll(ctx: OpContext, logProb: tf.Tensor): tf.Tensor {
  const target = tf.cast(asOnnx(input(ctx, 1)), 'int32');
  const classes = logProb.shape[1]!;
  const ignore = ctx.node.attrs.ignore_index === undefined ? undefined : intAttr(ctx.node, 'ignore_index', 0);
  const safeTarget = tf.minimum(tf.maximum(target, tf.scalar(0, 'int32')), tf.scalar(classes - 1, 'int32'));
  const flatTarget = tf.reshape(safeTarget, logProb.rank === 2 ? [-1] : [logProb.shape[0], -1]);
  const flatPicked = tf.sum(tf.mul(classesLast(logProb), tf.cast(tf.oneHot(flatTarget, classes), 'float32')), -1);
  const picked = tf.reshape(flatPicked, target.shape);
  let weight: tf.Tensor = ctx.inputs[2] ? tf.gather(asOnnx(ctx.inputs[2]), safeTarget) : tf.onesLike(picked);
  if (ignore !== undefined) weight = tf.mul(weight, tf.cast(tf.notEqual(target, ignore), 'float32'));
  const loss = tf.neg(tf.mul(picked, weight));
  const reduction = stringAttr(ctx.node, 'reduction', 'mean');
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return tf.sum(loss);
  if (reduction === 'mean') return tf.div(tf.sum(loss), tf.sum(weight));
  throw new Error(`tfjs: ${ctx.node.opType} node ${ctx.node.name}: reduction ${JSON.stringify(reduction)} is not one of none, sum, mean`);
}

function softmaxCrossEntropy(ctx: OpContext): Value[] {
  const scores = asOnnx(input(ctx, 0));
  const logProb = classesLastInverse(tf.logSoftmax(classesLast(scores)), scores.shape);
  return [onnxValue(nll(ctx, logProb)), onnxValue(logProb)];
}

/** Undo classesLast: [N, D, C] -> [N, C, d1..]. */
function classesLastInverse(x: tf.Tensor, shape: number[]): tf.Tensor {
  if (shape.length === 2) return x;
  return tf.reshape(tf.transpose(x, [0, 2, 1]), shape);
}

export const LOSS_OPS: OpTable = {
  NegativeLogLikelihoodLoss: { run: (ctx) => [onnxValue(nll(ctx, asOnnx(input(ctx, 0))))] },
  SoftmaxCrossEntropyLoss: { run: softmaxCrossEntropy },
};
