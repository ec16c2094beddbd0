/** Moving elements between axes: DepthToSpace, SpaceToDepth, ReverseSequence. */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, stringAttr } from '../attrs.js';
import { asOnnx, intsOf, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

function depthToSpace(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const b = intAttr(ctx.node, 'blocksize', 1);
  const [n, c, h, w] = x.shape;
  const crd = stringAttr(ctx.node, 'mode', 'DCR') === 'CRD';
  const split = crd ? tf.reshape(x, [n, c / (b * b), b, b, h, w]) : tf.reshape(x, [n, b, b, c / (b * b), h, w]);
  const moved = tf.transpose(split, crd ? [0, 1, 4, 2, 5, 3] : [0, 3, 4, 1, 5, 2]);
  return [onnxValue(tf.reshape(moved, [n, c / (b * b), h * b, w * b]))];
}

function spaceToDepth(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const b = intAttr(ctx.node, 'blocksize', 1);
  const [n, c, h, w] = x.shape;
  const moved = tf.transpose(tf.reshape(x, [n, c, h / b, b, w / b, b]), [0, 3, 5, 1, 2, 4]);
  return [onnxValue(tf.reshape(moved, [n, c * b * b, h / b, w / b]))];
}

/** Each batch entry's first seq_len steps reversed along the time axis, as one gather of flat positions. */
function reverseSequence(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const lens = intsOf(input(ctx, 1));
  const batchAxis = intAttr(ctx.node, 'batch_axis', 1);
  const timeAxis = intAttr(ctx.node, 'time_axis', 0);
  const shape = x.shape;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, d) => a * d, 1));
  const src = Array.from({ length: x.size }, (_, flat) => {
    const t = Math.floor(flat / strides[timeAxis]) % shape[timeAxis];
    const b = Math.floor(flat / strides[batchAxis]) % shape[batchAxis];
    return t < lens[b] ? flat + (lens[b] - 1 - 2 * t) * strides[timeAxis] : flat;
  });
  return [onnxValue(tf.reshape(tf.gather(tf.reshape(x, [-1]), tf.tensor1d(src, 'int32')), shape))];
}

export const REARRANGE_OPS: OpTable = {
  DepthToSpace: { run: depthToSpace },
  SpaceToDepth: { run: spaceToDepth },
  ReverseSequence: { run: reverseSequence },
};
