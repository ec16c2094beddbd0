/**
 * MaxPool, AveragePool and the global pools, channels-last. Asymmetric or
 * ceil-mode padding is made explicit with tf.pad, since tfjs pools take only
 * symmetric padding.
 */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, intsAttr } from '../attrs.js';
import { asNhwc, nhwcValue, type Value } from '../values.js';
import { hasPadding, resolvePads, windowOf, type Pads2d, type Window2d } from './padding.js';
import { averagePoolNd, maxPoolNd } from './pool-nd.js';
import { input, type OpContext, type OpImpl, type OpTable } from './types.js';

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

/** tfjs's own 2-D pooling where it fits (float, 4-D, no dilation, no Indices output), the N-d form otherwise. */
function fitsTfjsPool(ctx: OpContext): boolean {
  const v = input(ctx, 0);
  const dilated = intsAttr(ctx.node, 'dilations', [1, 1]).some((d) => d !== 1);
  const indices = ctx.node.outputs.length > 1 && ctx.node.outputs[1] !== '';
  return v.tensor.rank === 4 && v.tensor.dtype === 'float32' && !dilated && !indices;
}

function either(fast: OpImpl['run'], general: OpImpl['run']): OpImpl {
  return { run: (ctx) => (fitsTfjsPool(ctx) ? fast(ctx) : general(ctx)) };
}

export const POOL_OPS: OpTable = {
  MaxPool: either(maxPool, maxPoolNd),
  AveragePool: either(averagePool, averagePoolNd),
  GlobalAveragePool: { run: globalPool((x, a, k) => tf.mean(x, a, k)) },
  GlobalMaxPool: { run: globalPool((x, a, k) => tf.max(x, a, k)) },
};
