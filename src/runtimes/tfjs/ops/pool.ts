/**
 * MaxPool, AveragePool and the global pools, channels-last. Asymmetric or
 * ceil-mode padding is made explicit with tf.pad, since tfjs pools take only
 * symmetric padding.
 */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, intsAttr } from '../attrs.js';
import { asNhwc, nhwcValue, type Value } from '../values.js';
import { hasPadding, resolvePads, windowOf, type Pads2d, type Window2d } from './padding.js';
import { input, type OpContext, type OpTable } from './types.js';

/** Stands in for -infinity in max-pool padding (some backends mishandle infinities in pad). */
const LOWEST_FLOAT32 = -3.4028234663852886e38;

function poolInput(ctx: OpContext): { x: tf.Tensor4D; win: Window2d; pads: Pads2d } {
  const { node } = ctx;
  const v = input(ctx, 0);
  if (v.tensor.rank !== 4) throw new Error(`tfjs: ${node.opType} node ${node.name}: only 2-D pooling (4-D input) is supported, got rank ${v.tensor.rank}`);
  if (node.outputs.length > 1 && node.outputs[1]) throw new Error(`tfjs: ${node.opType} node ${node.name}: the Indices output is not supported`);
  const win = windowOf(node, intsAttr(node, 'kernel_shape', []));
  if (win.dilations.some((d) => d !== 1)) throw new Error(`tfjs: ${node.opType} node ${node.name}: dilated pooling is not supported`);
  const x = asNhwc(v) as tf.Tensor4D;
  const pads = resolvePads(node, [x.shape[1], x.shape[2]], win, intAttr(node, 'ceil_mode', 0) === 1);
  return { x, win, pads };
}

function padNhwc(x: tf.Tensor4D, p: Pads2d, value: number): tf.Tensor4D {
  return tf.pad(x, [[0, 0], [p[0], p[2]], [p[1], p[3]], [0, 0]], value);
}

function maxPool(ctx: OpContext): Value[] {
  const { x, win, pads } = poolInput(ctx);
  // Symmetric padding is tfjs's own (padding never wins the max); anything else is padded explicitly.
  if (pads.every((p) => p === pads[0])) return [nhwcValue(tf.maxPool(x, win.kernel, win.strides, pads[0] === 0 ? 'valid' : pads[0]))];
  return [nhwcValue(tf.maxPool(padNhwc(x, pads, LOWEST_FLOAT32), win.kernel, win.strides, 'valid'))];
}

function averagePool(ctx: OpContext): Value[] {
  const { x, win, pads } = poolInput(ctx);
  if (!hasPadding(pads)) return [nhwcValue(tf.avgPool(x, win.kernel, win.strides, 'valid'))];
  const sums = tf.avgPool(padNhwc(x, pads, 0), win.kernel, win.strides, 'valid');
  if (intAttr(ctx.node, 'count_include_pad', 0) === 1) return [nhwcValue(sums)];
  // Exclude the padding from each window's count: divide by the share of real pixels in the window.
  const ones = tf.ones([1, x.shape[1], x.shape[2], 1]) as tf.Tensor4D;
  const share = tf.avgPool(padNhwc(ones, pads, 0), win.kernel, win.strides, 'valid');
  return [nhwcValue(tf.div(sums, share))];
}

function globalPool(reduce: (x: tf.Tensor, axes: number[], keepDims: boolean) => tf.Tensor) {
  return (ctx: OpContext): Value[] => {
    const v = input(ctx, 0);
    if (v.tensor.rank !== 4) throw new Error(`tfjs: ${ctx.node.opType} node ${ctx.node.name}: only 4-D input is supported, got rank ${v.tensor.rank}`);
    return [nhwcValue(reduce(asNhwc(v), [1, 2], true))];
  };
}

export const POOL_OPS: OpTable = {
  MaxPool: { run: maxPool },
  AveragePool: { run: averagePool },
  GlobalAveragePool: { run: globalPool((x, a, k) => tf.mean(x, a, k)) },
  GlobalMaxPool: { run: globalPool((x, a, k) => tf.max(x, a, k)) },
};
