/**
 * Linear quantization: QuantizeLinear, DequantizeLinear and
 * DynamicQuantizeLinear, per tensor or per axis. Quantized values travel as
 * int32 (tfjs has no 8-bit type) and are saturated to the zero point's type.
 */
import * as tf from '@tensorflow/tfjs-core';
import { dtypeOfElemType } from '../../../onnx/read.js';
import type { DType } from '../../runtime.js';
import { intAttr } from '../attrs.js';
import { asOnnx, normAxis, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

const RANGE: Partial<Record<DType, [number, number]>> = {
  uint8: [0, 255], int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
};

/** A per-axis parameter shaped to broadcast along `axis` of a rank-`rank` tensor; a scalar stays as it is. */
function alongAxis(p: tf.Tensor, ctx: OpContext, rank: number): tf.Tensor {
  if (p.size === 1) return tf.reshape(p, []);
  const axis = normAxis(intAttr(ctx.node, 'axis', 1), rank);
  return tf.reshape(p, Array.from({ length: rank }, (_, i) => (i === axis ? p.size : 1)));
}

function saturate(x: tf.Tensor, dtype: DType, ctx: OpContext): tf.Tensor {
  const range = RANGE[dtype];
  if (!range) throw new Error(`tfjs cannot run operator ${ctx.node.opType} (opset ${ctx.opset}) to ${dtype}: not implemented`);
  return tf.cast(tf.clipByValue(x, range[0], range[1]), 'int32');
}

function quantizeLinear(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const scale = alongAxis(asOnnx(input(ctx, 1)), ctx, x.rank);
  const zp = ctx.inputs[2];
  const given = zp?.onnxDtype === 'string' ? undefined : zp?.onnxDtype;
  const dtype = ctx.node.attrs.output_dtype !== undefined ? dtypeOfElemType(intAttr(ctx.node, 'output_dtype', 2)) : given ?? 'uint8';
  const shift = zp ? tf.cast(alongAxis(asOnnx(zp), ctx, x.rank), 'float32') : tf.scalar(0);
  // tf.round rounds halves to even, as ONNX asks.
  return [onnxValue(saturate(tf.add(tf.round(tf.div(x, scale)), shift), dtype, ctx))];
}

function dequantizeLinear(ctx: OpContext): Value[] {
  const x = tf.cast(asOnnx(input(ctx, 0)), 'float32');
  const scale = alongAxis(asOnnx(input(ctx, 1)), ctx, x.rank);
  const zp = ctx.inputs[2] ? tf.cast(alongAxis(asOnnx(ctx.inputs[2]), ctx, x.rank), 'float32') : tf.scalar(0);
  return [onnxValue(tf.mul(tf.sub(x, zp), scale))];
}

function dynamicQuantizeLinear(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const lo = tf.minimum(tf.min(x), 0);
  const hi = tf.maximum(tf.max(x), 0);
  const scale = tf.div(tf.sub(hi, lo), 255);
  const zp = tf.clipByValue(tf.round(tf.sub(0, tf.div(lo, scale))), 0, 255);
  const y = tf.clipByValue(tf.add(tf.round(tf.div(x, scale)), zp), 0, 255);
  return [onnxValue(tf.cast(y, 'int32')), onnxValue(scale), onnxValue(tf.cast(zp, 'int32'))];
}

export const QUANTIZE_OPS: OpTable = {
  QuantizeLinear: { run: quantizeLinear },
  DequantizeLinear: { run: dequantizeLinear },
  DynamicQuantizeLinear: { run: dynamicQuantizeLinear },
};
