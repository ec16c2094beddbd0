/**
 * Operators that rearrange or describe shapes: Reshape, Flatten, Transpose,
 * Squeeze, Unsqueeze, Shape, Size, Expand, Tile. Shape operands are read on
 * the host (tiny tensors), since tfjs takes shapes as plain arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, intsAttr } from '../attrs.js';
import { asOnnx, intsOf, NHWC_POSITION_OF_AXIS, normAxis, onnxShape, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

function reshape(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const allowZero = intAttr(ctx.node, 'allowzero', 0) === 1;
  const target = (ctx.opset < 5 ? intsAttr(ctx.node, 'shape', []) : intsOf(input(ctx, 1)))
    .map((d, i) => (d === 0 && !allowZero ? x.shape[i] : d));
  return [onnxValue(tf.reshape(x, target))];
}

function flatten(ctx: OpContext): Value[] {
  const v = input(ctx, 0);
  const shape = onnxShape(v);
  const axis = intAttr(ctx.node, 'axis', 1);
  const a = axis < 0 ? axis + shape.length : axis;
  return [onnxValue(tf.reshape(asOnnx(v), [product(shape.slice(0, a)), product(shape.slice(a))]))];
}

function transpose(ctx: OpContext): Value[] {
  const v = input(ctx, 0);
  const rank = v.tensor.rank;
  const perm = intsAttr(ctx.node, 'perm', Array.from({ length: rank }, (_, i) => rank - 1 - i));
  // A channels-last input is transposed straight to the requested ONNX order in one step.
  const physical = v.layout === 'nhwc' ? perm.map((a) => NHWC_POSITION_OF_AXIS[a]) : perm;
  return [onnxValue(tf.transpose(v.tensor, physical))];
}

/** Axes from the attribute (before opset 13) or the optional second input. */
function axesOf(ctx: OpContext): number[] | undefined {
  if (ctx.opset < 13) return intsAttr(ctx.node, 'axes');
  return ctx.inputs[1] ? intsOf(ctx.inputs[1]) : undefined;
}

function squeeze(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const axes = axesOf(ctx)?.map((a) => normAxis(a, x.rank));
  return [onnxValue(tf.squeeze(x, axes && axes.length ? axes : undefined))];
}

function unsqueeze(ctx: OpContext): Value[] {
  let x = asOnnx(input(ctx, 0));
  const axes = axesOf(ctx) ?? [];
  const outRank = x.rank + axes.length;
  for (const a of axes.map((a) => normAxis(a, outRank)).sort((p, q) => p - q)) x = tf.expandDims(x, a);
  return [onnxValue(x)];
}

function shapeOp(ctx: OpContext): Value[] {
  const shape = onnxShape(input(ctx, 0));
  const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + shape.length : i, 0), shape.length);
  const start = clampIndex(intAttr(ctx.node, 'start', 0));
  const end = clampIndex(intAttr(ctx.node, 'end', shape.length));
  return [onnxValue(tf.tensor1d(shape.slice(start, end), 'int32'))];
}

/** ONNX (numpy) broadcasting of two shapes. */
export function broadcastShapes(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const pa = [...Array(rank - a.length).fill(1), ...a];
  const pb = [...Array(rank - b.length).fill(1), ...b];
  return pa.map((d, i) => (d === 1 ? pb[i] : pb[i] === 1 || pb[i] === d ? d : NaN)).map((d, i) => {
    if (Number.isNaN(d)) throw new Error(`tfjs: shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast (axis ${i})`);
    return d;
  });
}

function expand(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const target = broadcastShapes(x.shape, intsOf(input(ctx, 1)));
  const lifted = x.rank < target.length ? tf.reshape(x, [...Array(target.length - x.rank).fill(1), ...x.shape]) : x;
  return [onnxValue(tf.broadcastTo(lifted, target))];
}

export const SHAPE_OPS: OpTable = {
  Reshape: { run: reshape },
  Flatten: { run: flatten },
  Transpose: { run: transpose },
  Squeeze: { run: squeeze },
  Unsqueeze: { run: unsqueeze },
  Shape: { run: shapeOp },
  Size: { run: (ctx) => [onnxValue(tf.scalar(product(onnxShape(input(ctx, 0))), 'int32'))] },
  Expand: { run: expand },
  Tile: { run: (ctx) => [onnxValue(tf.tile(asOnnx(input(ctx, 0)), intsOf(input(ctx, 1))))] },
};
