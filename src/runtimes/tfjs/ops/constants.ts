/**
 * Operators that make or retype values: Constant, ConstantOfShape, Range,
 * Cast. Constant nodes (and anything computed only from constants) are
 * evaluated once at session creation by the importer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { elementTypeOf } from '../../../onnx/read.js';
import type { DType } from '../../runtime.js';
import { intAttr, tensorAttr } from '../attrs.js';
import { tensorFromHost, tfDtypeOf } from '../host.js';
import { intsOf, numbersOf, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';
import { castStrings } from './strings.js';

function constant(ctx: OpContext): Value[] {
  const { node } = ctx;
  const v = node.attrs.value;
  if (v && typeof v === 'object' && 'dtype' in v && v.dtype === 'string') return [onnxValue(tensorFromHost(v))];
  if (Array.isArray(node.attrs.value_strings)) return [onnxValue(tf.tensor1d(node.attrs.value_strings as string[], 'string'))];
  const t = tensorAttr(node, 'value');
  if (t) return [onnxValue(tensorFromHost(t))];
  const a = node.attrs;
  if (typeof a.value_float === 'number') return [onnxValue(tf.scalar(a.value_float, 'float32'))];
  if (typeof a.value_int === 'number') return [onnxValue(tf.scalar(a.value_int, 'int32'))];
  if (Array.isArray(a.value_floats)) return [onnxValue(tf.tensor1d(a.value_floats as number[], 'float32'))];
  if (Array.isArray(a.value_ints)) return [onnxValue(tf.tensor1d(a.value_ints as number[], 'int32'))];
  throw new Error(`tfjs: Constant node ${node.name}: only value, value_float(s) and value_int(s) are supported; attributes: ${Object.keys(a).join(', ')}`);
}

function constantOfShape(ctx: OpContext): Value[] {
  const shape = intsOf(input(ctx, 0));
  const t = tensorAttr(ctx.node, 'value');
  const dtype = t ? tfDtypeOf(t.dtype) : 'float32';
  const value = t ? Number(t.data[0]) : 0;
  return [onnxValue(tf.fill(shape, value, dtype))];
}

function range(ctx: OpContext): Value[] {
  const [start, limit, delta] = [0, 1, 2].map((i) => numbersOf(input(ctx, i))[0]);
  const dtype = input(ctx, 0).tensor.dtype === 'int32' ? 'int32' : 'float32';
  return [onnxValue(tf.range(start, limit, delta, dtype))];
}

function cast(ctx: OpContext): Value[] {
  const x = input(ctx, 0);
  const onnxTo = elementTypeOf(intAttr(ctx.node, 'to', 1));
  const viaStrings = castStrings(x, onnxTo);
  if (viaStrings) return [viaStrings];
  const to = tfDtypeOf(onnxTo as DType);
  return [{ tensor: x.tensor.dtype === to ? x.tensor : tf.cast(x.tensor, to), layout: x.layout }];
}

/** CastLike: to the element type of the second input (as tfjs carries it). */
function castLike(ctx: OpContext): Value[] {
  const x = input(ctx, 0);
  const like = input(ctx, 1);
  const to = like.tensor.dtype;
  const viaStrings = castStrings(x, to === 'string' ? 'string' : like.onnxDtype ?? (to === 'bool' ? 'bool' : to === 'int32' ? 'int32' : 'float32'));
  if (viaStrings) return [viaStrings];
  return [{ tensor: x.tensor.dtype === to ? x.tensor : tf.cast(x.tensor, to), layout: x.layout }];
}

export const CONSTANT_OPS: OpTable = {
  Constant: { run: constant },
  ConstantOfShape: { run: constantOfShape },
  Range: { run: range },
  Cast: { run: cast },
  CastLike: { run: castLike },
};
