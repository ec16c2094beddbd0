/**
 * MaxPool and AveragePool in any number of spatial dimensions, with
 * dilations, integer inputs and MaxPool's Indices output: a running max (or
 * sum) over the strided views of each kernel offset. The 2-D float case
 * keeps tfjs's own pooling kernels (pool.ts); this covers the rest.
 */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, intsAttr } from '../attrs.js';
import { asOnnx, onnxValue, type Value } from '../values.js';
import { input, type OpContext } from './types.js';
import { kernelOffsets, padSpatial, windowNd, windowView, type WindowNd } from './window-nd.js';

const LOWEST_FLOAT32 = -3.4028234663852886e38;

function windowOfPool(ctx: OpContext, x: tf.Tensor): WindowNd {
  return windowNd(ctx.node, x.shape.slice(2), intsAttr(ctx.node, 'kernel_shape', []));
}

/** Row-major flat index of each input element (the Indices output's numbering), as float32. */
function flatIndices(x: tf.Tensor, storageOrder: number): tf.Tensor {
  const idx = tf.reshape(tf.range(0, x.size, 1, 'float32'), x.shape);
  if (storageOrder === 0 || x.rank !== 4) return idx;
  // Column-major over the spatial axes of each (n, c) plane.
  const [n, c, h, wd] = x.shape;
  const col = tf.add(tf.reshape(tf.range(0, h, 1, 'float32'), [1, 1, h, 1]), tf.reshape(tf.mul(tf.range(0, wd, 1, 'float32'), h), [1, 1, 1, wd]));
  const plane = tf.reshape(tf.mul(tf.range(0, n * c, 1, 'float32'), h * wd), [n, c, 1, 1]);
  return tf.add(plane, col);
}

export function maxPoolNd(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const w = windowOfPool(ctx, x);
  const padValue = x.dtype === 'int32' ? -2147483648 : LOWEST_FLOAT32;
  const padded = padSpatial(x, w, padValue);
  const wantIndices = ctx.node.outputs.length > 1 && ctx.node.outputs[1] !== '';
  const paddedIdx = wantIndices ? padSpatial(flatIndices(x, intAttr(ctx.node, 'storage_order', 0)), w, -1) : undefined;
  let best: tf.Tensor | undefined;
  let bestIdx: tf.Tensor | undefined;
  for (const offset of kernelOffsets(w.kernel)) {
    const v = windowView(padded, w, offset);
    if (!best) {
      best = v;
      bestIdx = paddedIdx && windowView(paddedIdx, w, offset);
      continue;
    }
    if (paddedIdx) bestIdx = tf.where(tf.greater(v, best), windowView(paddedIdx, w, offset), bestIdx!);
    best = tf.maximum(best, v);
  }
  return bestIdx ? [onnxValue(best!), onnxValue(tf.cast(bestIdx, 'int32'))] : [onnxValue(best!)];
}

export function averagePoolNd(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const w = windowOfPool(ctx, x);
  const includePad = intAttr(ctx.node, 'count_include_pad', 0) === 1;
  const padded = padSpatial(x, w, 0);
  // Where each window lies: 1 on real elements, and (count_include_pad) on the declared padding, 0 on ceil-mode overhang.
  const declared = windowNd({ ...ctx.node, attrs: { ...ctx.node.attrs, ceil_mode: 0 } }, x.shape.slice(2), w.kernel).pads;
  const ones = tf.ones(x.shape.slice(0, 1).concat([1], x.shape.slice(2)));
  const n = w.kernel.length;
  const counted = includePad
    ? padSpatial(tf.pad(ones, [[0, 0], [0, 0], ...w.kernel.map((_, i): [number, number] => [declared[i], declared[n + i]])], 1),
      { ...w, pads: w.pads.map((p, i) => p - declared[i]) }, 0)
    : padSpatial(ones, w, 0);
  let sum: tf.Tensor | undefined;
  let count: tf.Tensor | undefined;
  for (const offset of kernelOffsets(w.kernel)) {
    const v = windowView(padded, w, offset);
    const c = windowView(counted, w, offset);
    sum = sum ? tf.add(sum, v) : v;
    count = count ? tf.add(count, c) : c;
  }
  return [onnxValue(tf.div(sum!, count!))];
}
