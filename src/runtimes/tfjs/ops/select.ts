/**
 * Ordering and selection: TopK, CumSum, NonZero, Compress, OneHot. Where the
 * result's size depends on the data (NonZero, Compress), it is found on the host.
 */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr } from '../attrs.js';
import { asOnnx, intsOf, normAxis, numbersOf, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

/** Move `axis` last (and back): tfjs's topk works on the last axis only. */
function swapLast(x: tf.Tensor, axis: number): number[] {
  const perm = x.shape.map((_, i) => i);
  [perm[axis], perm[x.rank - 1]] = [perm[x.rank - 1], perm[axis]];
  return perm;
}

function topK(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const k = ctx.opset < 10 ? intAttr(ctx.node, 'k', 1) : intsOf(input(ctx, 1))[0];
  const axis = normAxis(intAttr(ctx.node, 'axis', -1), x.rank);
  const largest = intAttr(ctx.node, 'largest', 1) === 1;
  const perm = swapLast(x, axis);
  const moved = tf.transpose(x, perm);
  // Smallest-k is largest-k of the negation; ties keep the lower index first either way.
  const { values, indices } = tf.topk(largest ? moved : tf.neg(moved), k, true);
  const vals = largest ? values : tf.neg(values);
  return [onnxValue(tf.transpose(vals, perm)), onnxValue(tf.transpose(indices, perm))];
}

function cumSum(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const axis = normAxis(intsOf(input(ctx, 1))[0], x.rank);
  const exclusive = intAttr(ctx.node, 'exclusive', 0) === 1;
  const reverse = intAttr(ctx.node, 'reverse', 0) === 1;
  return [onnxValue(tf.cumsum(x, axis, exclusive, reverse))];
}

function nonZero(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const values = x.dataSync() as ArrayLike<number>;
  const shape = x.shape;
  const coords: number[][] = shape.map(() => []);
  for (let flat = 0; flat < values.length; flat++) {
    if (!values[flat]) continue;
    let rest = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      coords[d].push(rest % shape[d]);
      rest = Math.floor(rest / shape[d]);
    }
  }
  const count = coords[0]?.length ?? (values[0] ? 1 : 0);
  return [onnxValue(tf.tensor(coords.flat(), [shape.length, count], 'int32'))];
}

function compress(ctx: OpContext): Value[] {
  let x = asOnnx(input(ctx, 0));
  const keep = numbersOf(input(ctx, 1));
  const given = ctx.node.attrs.axis;
  if (given === undefined) x = tf.reshape(x, [-1]);
  const axis = given === undefined ? 0 : normAxis(intAttr(ctx.node, 'axis', 0), x.rank);
  const picked = keep.slice(0, x.shape[axis]).flatMap((v, i) => (v ? [i] : []));
  return [onnxValue(tf.gather(x, tf.tensor1d(picked, 'int32'), axis))];
}

function oneHot(ctx: OpContext): Value[] {
  const indices = tf.cast(asOnnx(input(ctx, 0)), 'int32');
  const depth = numbersOf(input(ctx, 1))[0];
  const values = asOnnx(input(ctx, 2));
  const [off, on] = numbersOf(input(ctx, 2));
  // Negative indices count from the end of the depth.
  const wrapped = tf.where(tf.less(indices, 0), tf.add(indices, tf.scalar(depth, 'int32')), indices);
  // Built as off + (on - off) * mask: the wasm oneHot kernel ignores the requested dtype.
  const mask = tf.cast(tf.oneHot(wrapped, depth), values.dtype);
  const hot = tf.add(tf.mul(mask, tf.scalar(on - off, values.dtype)), tf.scalar(off, values.dtype));
  const axis = intAttr(ctx.node, 'axis', -1);
  const rank = hot.rank;
  const at = axis < 0 ? axis + rank : axis;
  if (at === rank - 1) return [onnxValue(hot)];
  const perm = [...Array(rank - 1).keys()];
  perm.splice(at, 0, rank - 1);
  return [onnxValue(tf.transpose(hot, perm))];
}

/** The values of slice `i` along `axis` of a row-major array, in row-major order. */
function sliceValues(data: ArrayLike<number>, shape: number[], axis: number, i: number): number[] {
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) out.push(data[(o * shape[axis] + i) * inner + k]);
  return out;
}

/** Unique values (or slices along `axis`): sorted or in order of first occurrence, with first indices, inverse indices and counts. */
function unique(ctx: OpContext): Value[] {
  let x = asOnnx(input(ctx, 0));
  const given = ctx.node.attrs.axis;
  if (given === undefined) x = tf.reshape(x, [-1]);
  const axis = given === undefined ? 0 : normAxis(intAttr(ctx.node, 'axis', 0), x.rank);
  const data = x.dataSync() as ArrayLike<number>;
  const n = x.shape[axis];
  const seen = new Map<string, { first: number; count: number; values: number[] }>();
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const values = sliceValues(data, x.shape, axis, i);
    const key = values.join(',');
    keys.push(key);
    const entry = seen.get(key);
    if (entry) entry.count++;
    else seen.set(key, { first: i, count: 1, values });
  }
  const order = [...seen.entries()];
  if (intAttr(ctx.node, 'sorted', 1) === 1) {
    order.sort(([, a], [, b]) => {
      for (let k = 0; k < a.values.length; k++) if (a.values[k] !== b.values[k]) return a.values[k] - b.values[k];
      return 0;
    });
  }
  const position = new Map(order.map(([key], i) => [key, i]));
  const firsts = order.map(([, e]) => e.first);
  return [
    onnxValue(tf.gather(x, tf.tensor1d(firsts, 'int32'), axis)),
    onnxValue(tf.tensor1d(firsts, 'int32')),
    onnxValue(tf.tensor1d(keys.map((k) => position.get(k)!), 'int32')),
    onnxValue(tf.tensor1d(order.map(([, e]) => e.count), 'int32')),
  ];
}

export const SELECT_OPS: OpTable = {
  Unique: { run: unique },
  TopK: { run: topK },
  CumSum: { run: cumSum },
  NonZero: { run: nonZero },
  Compress: { run: compress },
  OneHot: { run: oneHot },
};
