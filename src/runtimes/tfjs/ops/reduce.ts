/** Reductions (ReduceMean and friends, ArgMax) and Softmax / LogSoftmax along any axis. */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, intsAttr } from '../attrs.js';
import { asOnnx, intsOf, normAxis, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

type Reducer = (x: tf.Tensor, axes: number[], keepDims: boolean) => tf.Tensor;

/** Opset at which each reduction moved its axes from an attribute to an input. */
const AXES_INPUT_SINCE: Record<string, number> = { ReduceSum: 13 };
const DEFAULT_AXES_INPUT_SINCE = 18;

function reduction(fn: Reducer) {
  return (ctx: OpContext): Value[] => {
    const x = asOnnx(input(ctx, 0));
    const since = AXES_INPUT_SINCE[ctx.node.opType] ?? DEFAULT_AXES_INPUT_SINCE;
    const given = ctx.opset < since ? intsAttr(ctx.node, 'axes') : ctx.inputs[1] ? intsOf(ctx.inputs[1]) : undefined;
    const keepDims = intAttr(ctx.node, 'keepdims', 1) === 1;
    if (!given || given.length === 0) {
      if (intAttr(ctx.node, 'noop_with_empty_axes', 0) === 1) return [onnxValue(x)];
      return [onnxValue(fn(x, x.shape.map((_, i) => i), keepDims))];
    }
    return [onnxValue(fn(x, given.map((a) => normAxis(a, x.rank)), keepDims))];
  };
}

/**
 * Softmax from opset 13 works along one axis; before, it flattened the input
 * to 2-D at `axis` (default 1) and worked along the second dimension.
 */
function softmaxLike(fn: (logits: tf.Tensor) => tf.Tensor) {
  return (ctx: OpContext): Value[] => {
    const x = asOnnx(input(ctx, 0));
    const legacy = ctx.opset < 13;
    const axis = normAxis(intAttr(ctx.node, 'axis', legacy ? 1 : -1), x.rank);
    if (axis === x.rank - 1) return [onnxValue(fn(x))];
    if (legacy) {
      const rows = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
      return [onnxValue(tf.reshape(fn(tf.reshape(x, [rows, -1])), x.shape))];
    }
    // tfjs's softmax works on the last axis only: swap the axis there and back.
    const perm = x.shape.map((_, i) => i);
    [perm[axis], perm[x.rank - 1]] = [perm[x.rank - 1], perm[axis]];
    return [onnxValue(tf.transpose(fn(tf.transpose(x, perm)), perm))];
  };
}

/** ArgMax / ArgMin; select_last_index=1 searches the reversed axis and maps the index back. */
function argExtreme(fn: (x: tf.Tensor, axis: number) => tf.Tensor) {
  return (ctx: OpContext): Value[] => {
    const x = asOnnx(input(ctx, 0));
    const axis = normAxis(intAttr(ctx.node, 'axis', 0), x.rank);
    const y = intAttr(ctx.node, 'select_last_index', 0) === 1
      ? tf.sub(tf.scalar(x.shape[axis] - 1, 'int32'), fn(tf.reverse(x, axis), axis))
      : fn(x, axis);
    return [onnxValue(intAttr(ctx.node, 'keepdims', 1) === 1 ? tf.expandDims(y, axis) : y)];
  };
}

export const REDUCE_OPS: OpTable = {
  ReduceMean: { run: reduction((x, a, k) => tf.mean(x, a, k)) },
  ReduceSum: { run: reduction((x, a, k) => tf.sum(x, a, k)) },
  ReduceMax: { run: reduction((x, a, k) => tf.max(x, a, k)) },
  ReduceMin: { run: reduction((x, a, k) => tf.min(x, a, k)) },
  ReduceProd: { run: reduction((x, a, k) => tf.prod(x, a, k)) },
  ReduceL2: { run: reduction((x, a, k) => tf.sqrt(tf.sum(tf.square(x), a, k))) },
  Softmax: { run: softmaxLike((x) => tf.softmax(x)) },
  LogSoftmax: { run: softmaxLike((x) => tf.logSoftmax(x)) },
  ReduceL1: { run: reduction((x, a, k) => tf.sum(tf.abs(x), a, k)) },
  ReduceSumSquare: { run: reduction((x, a, k) => tf.sum(tf.square(x), a, k)) },
  ReduceLogSum: { run: reduction((x, a, k) => tf.log(tf.sum(x, a, k))) },
  ReduceLogSumExp: { run: reduction((x, a, k) => tf.logSumExp(x, a, k)) },
  ArgMax: { run: argExtreme((x, axis) => tf.argMax(x, axis)) },
  ArgMin: { run: argExtreme((x, axis) => tf.argMin(x, axis)) },
  Hardmax: { run: softmaxLike((x) => tf.cast(tf.oneHot(tf.argMax(x, -1), x.shape[x.rank - 1]!), 'float32')) },
};
