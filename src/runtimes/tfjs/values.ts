/**
 * A value flowing through the imported graph. 4-D activations may be stored
 * channels-last ('nhwc'), which is what TensorFlow.js convolutions and
 * pooling want; every other op sees the ONNX layout. Converting lazily and
 * only where needed keeps a CNN's whole conv path free of transposes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ElementType } from '../runtime.js';

export type Layout = 'onnx' | 'nhwc';

export interface Value {
  tensor: tf.Tensor;
  /** 'nhwc': a 4-D tensor that ONNX sees as NCHW, stored as NHWC. */
  layout: Layout;
  /** Set on weights and folded constants: they live for the whole session. */
  constant?: ConstantCache;
  /**
   * The ONNX element type, where known (graph inputs, initializers): tfjs
   * carries every integer type as int32, but QuantizeLinear saturates to
   * its zero point's type.
   */
  onnxDtype?: ElementType;
}

/** Per-constant memo of derived forms, so a weight is converted once, not per run. */
export interface ConstantCache {
  nhwc?: tf.Tensor;
  ints?: number[];
}

/** Physical NHWC position of each ONNX (NCHW) axis. */
export const NHWC_POSITION_OF_AXIS = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];

export function onnxValue(tensor: tf.Tensor): Value {
  return { tensor, layout: 'onnx' };
}

export function nhwcValue(tensor: tf.Tensor): Value {
  return { tensor, layout: 'nhwc' };
}

export function constantValue(tensor: tf.Tensor): Value {
  return { tensor: tf.keep(tensor), layout: 'onnx', constant: {} };
}

/** The tensor in ONNX layout. */
export function asOnnx(v: Value): tf.Tensor {
  return v.layout === 'nhwc' ? tf.transpose(v.tensor, TO_NCHW) : v.tensor;
}

/** The tensor channels-last; `v` must be 4-D in ONNX terms. */
export function asNhwc(v: Value): tf.Tensor {
  if (v.layout === 'nhwc') return v.tensor;
  if (v.tensor.rank !== 4) throw new Error(`tfjs: expected a 4-D NCHW tensor, got shape [${v.tensor.shape.join(', ')}]`);
  if (v.constant) {
    v.constant.nhwc ??= tf.keep(tf.transpose(v.tensor, TO_NHWC));
    return v.constant.nhwc;
  }
  return tf.transpose(v.tensor, TO_NHWC);
}

/** The shape ONNX sees. */
export function onnxShape(v: Value): number[] {
  const s = v.tensor.shape as number[];
  return v.layout === 'nhwc' ? [s[0], s[3], s[1], s[2]] : [...s];
}

/** Integer contents of a small tensor (a shape, axes, indices), read on the host. */
export function intsOf(v: Value): number[] {
  if (v.constant?.ints) return v.constant.ints;
  const ints = Array.from(asOnnx(v).dataSync(), (x) => Math.trunc(Number(x)));
  if (v.constant) v.constant.ints = ints;
  return ints;
}

/** Numbers of a small tensor (Range bounds, Clip limits), read on the host. */
export function numbersOf(v: Value): number[] {
  return Array.from(asOnnx(v).dataSync(), Number);
}

/**
 * Bring operands of a broadcasting op into one layout. If any is channels-last,
 * the others (of rank <= 4, ONNX-broadcast from the right) become channels-last
 * too, so Add/Mul on the conv path do not force a transpose.
 */
export function alignLayouts(values: Value[]): { tensors: tf.Tensor[]; layout: Layout } {
  const anyNhwc = values.some((v) => v.layout === 'nhwc');
  if (!anyNhwc || values.some((v) => v.layout === 'onnx' && v.tensor.rank > 4)) {
    return { tensors: values.map(asOnnx), layout: 'onnx' };
  }
  const tensors = values.map((v) => {
    if (v.layout === 'nhwc' || v.tensor.rank === 4) return asNhwc(v);
    if (v.tensor.rank === 0 || v.tensor.size === 1) return v.tensor.rank === 0 ? v.tensor : tf.reshape(v.tensor, []);
    // Left-pad to rank 4 as ONNX broadcasting does, then move the channel axis last.
    const padded = [...Array(4 - v.tensor.rank).fill(1), ...v.tensor.shape];
    const toNhwc = () => tf.transpose(tf.reshape(v.tensor, padded), TO_NHWC);
    if (!v.constant) return toNhwc();
    // For a constant of rank < 4, the memo holds its broadcast-ready channels-last form.
    v.constant.nhwc ??= tf.keep(toNhwc());
    return v.constant.nhwc;
  });
  return { tensors, layout: 'nhwc' };
}

export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`tfjs: axis ${axis} is out of range for rank ${rank}`);
  return a;
}
