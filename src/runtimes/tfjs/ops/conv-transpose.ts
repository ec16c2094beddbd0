/**
 * ConvTranspose in 1-D, 2-D and 3-D, with groups, dilations, pads,
 * output_padding, output_shape and auto_pad: the input is spread out by the
 * stride (zeros between elements), padded by the kernel's reach minus the
 * pads, and convolved at stride 1 with the kernel flipped and its channel
 * axes swapped. That is the ONNX definition, built from tfjs convolutions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, intsAttr, stringAttr } from '../attrs.js';
import { asOnnx, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

/** Zeros between elements along spatial `axis`: length L becomes (L - 1) * s + 1. */
function spread(x: tf.Tensor, axis: number, s: number): tf.Tensor {
  if (s === 1) return x;
  const len = x.shape[axis];
  const withSlot = tf.expandDims(x, axis + 1);
  const padding = withSlot.shape.map((_, i): [number, number] => (i === axis + 1 ? [0, s - 1] : [0, 0]));
  const merged = tf.reshape(tf.pad(withSlot, padding), x.shape.map((d, i) => (i === axis ? len * s : d)));
  return tf.slice(merged, x.shape.map(() => 0), x.shape.map((d, i) => (i === axis ? (len - 1) * s + 1 : d)));
}

/** Pad (or, where negative, crop) spatial `axis` by `begin` and `end`. */
function padOrCrop(x: tf.Tensor, axis: number, begin: number, end: number): tf.Tensor {
  const grow = x.shape.map((_, i): [number, number] => (i === axis ? [Math.max(begin, 0), Math.max(end, 0)] : [0, 0]));
  const y = begin > 0 || end > 0 ? tf.pad(x, grow) : x;
  const cutBegin = Math.max(-begin, 0);
  const cutEnd = Math.max(-end, 0);
  if (cutBegin === 0 && cutEnd === 0) return y;
  return tf.slice(y, y.shape.map((_, i) => (i === axis ? cutBegin : 0)), y.shape.map((d, i) => (i === axis ? d - cutBegin - cutEnd : d)));
}

/** Unpadded, strided, dilated convolution in ONNX layout, 1-D to 3-D; `w` is [M, C, ...k], one group. */
export function convValid(x: tf.Tensor, w: tf.Tensor, strides: number[], dilations: number[], opType: string): tf.Tensor {
  const spatial = x.rank - 2;
  if (spatial === 1) {
    const y = convValid(tf.expandDims(x, 2), tf.expandDims(w, 2), [1, strides[0]], [1, dilations[0]], opType);
    return tf.squeeze(y, [2]);
  }
  if (spatial === 2) {
    const y = tf.conv2d(tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D, tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D, [strides[0], strides[1]], 'valid', 'NHWC', [dilations[0], dilations[1]]);
    return tf.transpose(y, [0, 3, 1, 2]);
  }
  if (spatial === 3) {
    if (dilations.some((d) => d !== 1)) throw new Error(`tfjs cannot run operator ${opType} with 3-D dilations: not implemented`);
    const y = tf.conv3d(tf.transpose(x, [0, 2, 3, 4, 1]) as tf.Tensor5D, tf.transpose(w, [2, 3, 4, 1, 0]) as tf.Tensor5D, [strides[0], strides[1], strides[2]], 'valid');
    return tf.transpose(y, [0, 4, 1, 2, 3]);
  }
  throw new Error(`tfjs cannot run operator ${opType} with ${spatial} spatial dimensions: not implemented`);
}

function convTranspose(ctx: OpContext): Value[] {
  const { node } = ctx;
  const x = asOnnx(input(ctx, 0));
  const w = asOnnx(input(ctx, 1));
  const n = x.rank - 2;
  const inLen = x.shape.slice(2);
  const kernel = w.shape.slice(2);
  const group = intAttr(node, 'group', 1);
  const strides = intsAttr(node, 'strides', Array(n).fill(1));
  const dilations = intsAttr(node, 'dilations', Array(n).fill(1));
  const outPad = intsAttr(node, 'output_padding', Array(n).fill(0));
  const reach = kernel.map((k, i) => (k - 1) * dilations[i] + 1);
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
  const shapeAttr = intsAttr(node, 'output_shape');
  let pads = intsAttr(node, 'pads', Array(2 * n).fill(0)).slice();
  if (shapeAttr || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const target = shapeAttr ? shapeAttr.slice(-n) : inLen.map((l, i) => l * strides[i]);
    pads = Array(2 * n).fill(0);
    target.forEach((t, i) => {
      const total = strides[i] * (inLen[i] - 1) + outPad[i] + reach[i] - t;
      const half = Math.floor(total / 2);
      [pads[i], pads[n + i]] = autoPad === 'SAME_UPPER' ? [half, total - half] : [total - half, half];
    });
  }
  let spreadX = x;
  for (let i = 0; i < n; i++) {
    spreadX = spread(spreadX, 2 + i, strides[i]);
    spreadX = padOrCrop(spreadX, 2 + i, reach[i] - 1 - pads[i], reach[i] - 1 - pads[n + i] + outPad[i]);
  }
  // W is [C, M/group, ...k]: per group, flip the kernel and swap its channel axes to [M/group, C/group, ...k].
  const flipped = tf.reverse(w, kernel.map((_, i) => 2 + i));
  const perm = [1, 0, ...kernel.map((_, i) => 2 + i)];
  const xs = group === 1 ? [spreadX] : tf.split(spreadX, group, 1);
  const ws = group === 1 ? [flipped] : tf.split(flipped, group, 0);
  const parts = xs.map((xg, g) => convValid(xg, tf.transpose(ws[g], perm), Array(n).fill(1), dilations, 'ConvTranspose'));
  let y = parts.length === 1 ? parts[0] : tf.concat(parts, 1);
  if (ctx.inputs[2]) y = tf.add(y, tf.reshape(asOnnx(ctx.inputs[2]), [-1, ...Array(n).fill(1)]));
  return [onnxValue(y)];
}

export const CONV_TRANSPOSE_OPS: OpTable = { ConvTranspose: { run: convTranspose } };
