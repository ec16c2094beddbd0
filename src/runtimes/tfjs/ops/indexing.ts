/**
 * Selecting and joining: Gather, Slice, Concat, Split, Pad. Concat and Split
 * along a channels-last tensor stay channels-last (DenseNet concatenates on
 * every layer), with the ONNX axis mapped to its NHWC position.
 */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, intsAttr, stringAttr } from '../attrs.js';
import { asNhwc, asOnnx, intsOf, NHWC_POSITION_OF_AXIS, normAxis, numbersOf, onnxShape, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

function gather(ctx: OpContext): Value[] {
  const data = asOnnx(input(ctx, 0));
  const axis = normAxis(intAttr(ctx.node, 'axis', 0), data.rank);
  const idxValue = input(ctx, 1);
  const dim = data.shape[axis];
  let indices: tf.Tensor;
  if (idxValue.constant) {
    const ints = intsOf(idxValue).map((i) => (i < 0 ? i + dim : i));
    indices = tf.tensor(ints, idxValue.tensor.shape, 'int32');
  } else {
    // tfjs gathers only non-negative indices; ONNX counts negative ones from the end.
    const raw = tf.cast(asOnnx(idxValue), 'int32');
    indices = tf.where(tf.less(raw, 0), tf.add(raw, tf.scalar(dim, 'int32')), raw);
  }
  return [onnxValue(tf.gather(data, indices, axis))];
}

/** Slice bounds: attributes before opset 10, inputs from 10 on. */
function sliceParams(ctx: OpContext, rank: number): { starts: number[]; ends: number[]; axes: number[]; steps: number[] } {
  const { node } = ctx;
  if (ctx.opset < 10) {
    const starts = intsAttr(node, 'starts', []);
    return { starts, ends: intsAttr(node, 'ends', []), axes: intsAttr(node, 'axes', starts.map((_, i) => i)), steps: starts.map(() => 1) };
  }
  const starts = intsOf(input(ctx, 1));
  const ends = intsOf(input(ctx, 2));
  const axes = ctx.inputs[3] ? intsOf(ctx.inputs[3]) : starts.map((_, i) => i);
  const steps = ctx.inputs[4] ? intsOf(ctx.inputs[4]) : starts.map(() => 1);
  return { starts, ends, axes: axes.map((a) => normAxis(a, rank)), steps };
}

function slice(ctx: OpContext): Value[] {
  let x = asOnnx(input(ctx, 0));
  const { starts, ends, axes, steps } = sliceParams(ctx, x.rank);
  axes.forEach((axis, i) => {
    const dim = x.shape[axis];
    const step = steps[i];
    if (step === 0) throw new Error(`tfjs: Slice node ${ctx.node.name}: step 0 is not allowed`);
    const resolve = (v: number) => (v < 0 ? v + dim : v);
    if (step > 0) {
      const begin = Math.min(Math.max(resolve(starts[i]), 0), dim);
      const end = Math.min(Math.max(resolve(ends[i]), begin), dim);
      const size = x.shape.map((d, a) => (a === axis ? end - begin : d));
      const beginAt = x.shape.map((_, a) => (a === axis ? begin : 0));
      x = step === 1 ? tf.slice(x, beginAt, size)
        : tf.stridedSlice(x, beginAt, x.shape.map((d, a) => (a === axis ? end : d)), x.shape.map((_, a) => (a === axis ? step : 1)));
    } else {
      // Negative steps: list the indices explicitly (ONNX's clamping rules differ from tfjs's end sentinels).
      const begin = Math.min(Math.max(resolve(starts[i]), -1), dim - 1);
      const end = Math.min(Math.max(resolve(ends[i]), -1), dim - 1);
      const picks: number[] = [];
      for (let k = begin; k > end; k += step) picks.push(k);
      x = tf.gather(x, tf.tensor1d(picks, 'int32'), axis);
    }
  });
  return [onnxValue(x)];
}

function concat(ctx: OpContext): Value[] {
  const parts = ctx.inputs.filter((v): v is Value => v !== undefined && v.tensor.size > 0);
  const rank = onnxShape(input(ctx, 0)).length;
  const axis = normAxis(intAttr(ctx.node, 'axis', 0), rank);
  if (parts.length === 0) return [onnxValue(asOnnx(input(ctx, 0)))];
  if (rank === 4 && parts.some((v) => v.layout === 'nhwc')) {
    return [{ tensor: tf.concat(parts.map(asNhwc), NHWC_POSITION_OF_AXIS[axis]), layout: 'nhwc' }];
  }
  return [onnxValue(tf.concat(parts.map(asOnnx), axis))];
}

function split(ctx: OpContext): Value[] {
  const v = input(ctx, 0);
  const shape = onnxShape(v);
  const axis = normAxis(intAttr(ctx.node, 'axis', 0), shape.length);
  const count = ctx.node.outputs.length;
  let sizes = ctx.opset < 13 ? intsAttr(ctx.node, 'split') : ctx.inputs[1] ? intsOf(ctx.inputs[1]) : undefined;
  if (!sizes) {
    // Equal parts; with opset 18's num_outputs the last part may be smaller.
    const each = Math.ceil(shape[axis] / count);
    sizes = Array.from({ length: count }, (_, i) => Math.min(each, shape[axis] - i * each));
  }
  if (v.layout === 'nhwc') return tf.split(v.tensor, sizes, NHWC_POSITION_OF_AXIS[axis]).map((t) => ({ tensor: t, layout: 'nhwc' as const }));
  return tf.split(v.tensor, sizes, axis).map(onnxValue);
}

function pad(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const pads = ctx.opset < 11 ? intsAttr(ctx.node, 'pads', []) : intsOf(input(ctx, 1));
  const value = ctx.opset < 11 ? Number(ctx.node.attrs.value ?? 0) : ctx.inputs[2] ? numbersOf(ctx.inputs[2])[0] : 0;
  const axes = ctx.inputs[3] ? intsOf(ctx.inputs[3]).map((a) => normAxis(a, x.rank)) : x.shape.map((_, i) => i);
  const perAxis: [number, number][] = x.shape.map(() => [0, 0]);
  axes.forEach((a, i) => { perAxis[a] = [pads[i], pads[i + axes.length]]; });
  const mode = stringAttr(ctx.node, 'mode', 'constant');
  if (mode === 'edge' || mode === 'wrap' || perAxis.some(([b, e]) => b < 0 || e < 0)) return [onnxValue(padByGather(x, perAxis, mode, value))];
  if (mode === 'constant') return [onnxValue(tf.pad(x, perAxis, value))];
  if (mode === 'reflect') return [onnxValue(tf.mirrorPad(x, perAxis, 'reflect'))];
  throw new Error(`tfjs: Pad node ${ctx.node.name}: mode ${mode} is not one of constant, reflect, edge, wrap`);
}

/**
 * Pad as a gather of source positions per axis: clamped for 'edge', modulo
 * for 'wrap'; negative pads crop. Constant and reflect padding of the grown
 * axes is left to tfjs.
 */
function padByGather(x: tf.Tensor, perAxis: [number, number][], mode: string, value: number): tf.Tensor {
  let y = x;
  perAxis.forEach(([b, e], axis) => {
    if (b === 0 && e === 0) return;
    const len = y.shape[axis];
    const positions = Array.from({ length: len + b + e }, (_, i) => i - b);
    if (mode === 'edge' || mode === 'wrap') {
      const src = positions.map((p) => (mode === 'edge' ? Math.min(Math.max(p, 0), len - 1) : ((p % len) + len) % len));
      y = tf.gather(y, tf.tensor1d(src, 'int32'), axis);
      return;
    }
    // Constant or reflect with a negative side: crop that side, then pad the other the usual way.
    const begin = Math.max(-b, 0);
    const size = len - begin - Math.max(-e, 0);
    y = tf.slice(y, y.shape.map((_, i) => (i === axis ? begin : 0)), y.shape.map((d, i) => (i === axis ? size : d)));
    const grow: [number, number][] = y.shape.map((_, i) => (i === axis ? [Math.max(b, 0), Math.max(e, 0)] : [0, 0]));
    y = mode === 'reflect' ? tf.mirrorPad(y, grow, 'reflect') : tf.pad(y, grow, value);
  });
  return y;
}

export const INDEXING_OPS: OpTable = {
  Gather: { run: gather },
  Slice: { run: slice },
  Concat: { run: concat },
  Split: { run: split },
  Pad: { run: pad },
};
