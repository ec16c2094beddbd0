/**
 * Operators that make or retype values: Constant, ConstantOfShape, Range,
 * Cast. Constant nodes (and anything computed only from constants) are
 * evaluated once at session creation by the importer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dtypeOfElemType } from '../../../onnx/read.js';
import { intAttr, tensorAttr } from '../attrs.js';
import { tensorFromHost, tfDtypeOf } from '../host.js';
import { intsOf, numbersOf, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

function constant(ctx: OpContext): Value[] {
  const { node } = ctx;
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
  const to = tfDtypeOf(dtypeOfElemType(intAttr(ctx.node, 'to', 1)));
  return [{ tensor: x.tensor.dtype === to ? x.tensor : tf.cast(x.tensor, to), layout: x.layout }];
}

/** CastLike: to the element type of the second input (as tfjs carries it). */
function castLike(ctx: OpContext): Value[] {
  const x = input(ctx, 0);
  const to = input(ctx, 1).tensor.dtype;
  return [{ tensor: x.tensor.dtype === to ? x.tensor : tf.cast(x.tensor, to), layout: x.layout }];
}

export const CONSTANT_OPS: OpTable = {
  Constant: { run: constant },
  ConstantOfShape: { run: constantOfShape },
  Range: { run: range },
  Cast: { run: cast },
  CastLike: { run: castLike },
};
