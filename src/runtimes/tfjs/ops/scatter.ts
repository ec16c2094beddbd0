/**
 * Element-addressed gathers and scatters: GatherElements, GatherND,
 * ScatterElements (and its old name Scatter), ScatterND. tfjs has no kernel
 * with ONNX's semantics for most of these (reductions, negative indices,
 * batch_dims), so indices are resolved on the host; the data stays a tensor
 * where a tfjs kernel exists (GatherElements gathers from the flattened data).
 */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, stringAttr } from '../attrs.js';
import { asOnnx, intsOf, normAxis, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

function strides(shape: number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) out[d] = out[d + 1] * shape[d + 1];
  return out;
}

/** Flat offsets into `dataShape` of each element of an index tensor along `axis` (ONNX GatherElements addressing). */
function elementOffsets(idx: number[], idxShape: number[], dataShape: number[], axis: number): number[] {
  const ds = strides(dataShape);
  const is = strides(idxShape);
  const dim = dataShape[axis];
  return idx.map((raw, flat) => {
    let off = 0;
    for (let d = 0; d < idxShape.length; d++) {
      const coord = d === axis ? (raw < 0 ? raw + dim : raw) : Math.floor(flat / is[d]) % idxShape[d];
      if (d === axis && (coord < 0 || coord >= dim)) throw new Error(`index ${raw} is out of range for axis ${axis} of size ${dim}`);
      off += coord * ds[d];
    }
    return off;
  });
}

function gatherElements(ctx: OpContext): Value[] {
  const data = asOnnx(input(ctx, 0));
  const idxValue = input(ctx, 1);
  const axis = normAxis(intAttr(ctx.node, 'axis', 0), data.rank);
  const offsets = elementOffsets(intsOf(idxValue), idxValue.tensor.shape, data.shape, axis);
  const flat = tf.gather(tf.reshape(data, [-1]), tf.tensor1d(offsets, 'int32'));
  return [onnxValue(tf.reshape(flat, idxValue.tensor.shape))];
}

type Combine = (old: number, update: number) => number;

const COMBINE: Record<string, Combine> = {
  none: (_, u) => u, add: (o, u) => o + u, mul: (o, u) => o * u, max: (o, u) => Math.max(o, u), min: (o, u) => Math.min(o, u),
};

function combineOf(ctx: OpContext): Combine {
  const reduction = stringAttr(ctx.node, 'reduction', 'none');
  const fn = COMBINE[reduction];
  if (!fn) throw new Error(`tfjs: ${ctx.node.opType} node ${ctx.node.name}: reduction ${JSON.stringify(reduction)} is not one of ${Object.keys(COMBINE).join(', ')}`);
  return fn;
}

/** A copy of `data` with `updates` combined in at flat `offsets`, computed on the host. */
function scatterFlat(data: tf.Tensor, offsets: number[], updates: tf.Tensor, combine: Combine): tf.Tensor {
  const out = Array.from(data.dataSync() as ArrayLike<number>);
  const upd = updates.dataSync() as ArrayLike<number>;
  offsets.forEach((off, i) => { out[off] = combine(out[off], upd[i]); });
  return tf.tensor(out, data.shape, data.dtype);
}

function scatterElements(ctx: OpContext): Value[] {
  const data = asOnnx(input(ctx, 0));
  const idxValue = input(ctx, 1);
  const axis = normAxis(intAttr(ctx.node, 'axis', 0), data.rank);
  const offsets = elementOffsets(intsOf(idxValue), idxValue.tensor.shape, data.shape, axis);
  return [onnxValue(scatterFlat(data, offsets, asOnnx(input(ctx, 2)), combineOf(ctx)))];
}

/** For ND addressing: each index tuple (last axis of `indices`) as a flat offset of the slice it starts. */
function ndOffsets(ctx: OpContext, dataShape: number[], batchDims: number): { offsets: number[]; sliceSize: number; tuples: number } {
  const idxValue = input(ctx, 1);
  const idx = intsOf(idxValue);
  const ishape = idxValue.tensor.shape;
  const k = ishape[ishape.length - 1];
  const ds = strides(dataShape);
  const sliceSize = dataShape.slice(batchDims + k).reduce((a, b) => a * b, 1);
  const tuples = idx.length / k;
  const perBatch = tuples / Math.max(1, dataShape.slice(0, batchDims).reduce((a, b) => a * b, 1));
  const offsets: number[] = [];
  for (let t = 0; t < tuples; t++) {
    const batch = Math.floor(t / perBatch);
    let off = batchDims > 0 ? batch * ds[batchDims - 1] : 0;
    for (let j = 0; j < k; j++) {
      const dim = dataShape[batchDims + j];
      const raw = idx[t * k + j];
      const c = raw < 0 ? raw + dim : raw;
      if (c < 0 || c >= dim) throw new Error(`index ${raw} is out of range for axis ${batchDims + j} of size ${dim}`);
      off += c * ds[batchDims + j];
    }
    offsets.push(off);
  }
  return { offsets, sliceSize, tuples };
}

function expandSlices(offsets: number[], sliceSize: number): number[] {
  return offsets.flatMap((o) => Array.from({ length: sliceSize }, (_, i) => o + i));
}

function gatherND(ctx: OpContext): Value[] {
  const data = asOnnx(input(ctx, 0));
  const batchDims = intAttr(ctx.node, 'batch_dims', 0);
  const ishape = input(ctx, 1).tensor.shape;
  const k = ishape[ishape.length - 1];
  const { offsets, sliceSize } = ndOffsets(ctx, data.shape, batchDims);
  const flat = tf.gather(tf.reshape(data, [-1]), tf.tensor1d(expandSlices(offsets, sliceSize), 'int32'));
  return [onnxValue(tf.reshape(flat, [...ishape.slice(0, -1), ...data.shape.slice(batchDims + k)]))];
}

function scatterND(ctx: OpContext): Value[] {
  const data = asOnnx(input(ctx, 0));
  const { offsets, sliceSize } = ndOffsets(ctx, data.shape, 0);
  return [onnxValue(scatterFlat(data, expandSlices(offsets, sliceSize), asOnnx(input(ctx, 2)), combineOf(ctx)))];
}

export const SCATTER_OPS: OpTable = {
  GatherElements: { run: gatherElements },
  GatherND: { run: gatherND },
  ScatterElements: { run: scatterElements },
  Scatter: { run: scatterElements },
  ScatterND: { run: scatterND },
};
