/**
 * Integer and quantized linear algebra: MatMulInteger, ConvInteger,
 * QLinearMatMul, QLinearConv. The zero points are subtracted and the
 * product runs in float32 through the MatMul and Conv implementations
 * (exact while the sums stay below 2^24, as 8-bit operands do for
 * inner sizes up to about 250); results are rounded and saturated to the
 * output's integer type.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NodeIR } from '../../../onnx/ir.js';
import type { DType } from '../../runtime.js';
import { asOnnx, onnxValue, type Value } from '../values.js';
import { CONV_OPS } from './conv.js';
import { MATMUL_OPS } from './matmul.js';
import { type OpContext, type OpTable } from './types.js';

const RANGE: Partial<Record<DType, [number, number]>> = { uint8: [0, 255], int8: [-128, 127] };

/** x - zeroPoint as float32; a per-channel zero point is shaped to broadcast along `axis`. */
function centred(x: Value, zp: Value | undefined, axis: number): tf.Tensor {
  const xf = tf.cast(asOnnx(x), 'float32');
  if (!zp) return xf;
  const z = tf.cast(asOnnx(zp), 'float32');
  if (z.size === 1) return tf.sub(xf, tf.reshape(z, []));
  const shape = xf.shape.map((d, i) => (i === (axis < 0 ? xf.rank + axis : axis) ? d : 1));
  return tf.sub(xf, tf.reshape(z, shape));
}

function matMul(ctx: OpContext, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const node: NodeIR = { ...ctx.node, opType: 'MatMul', attrs: {} };
  return asOnnx(MATMUL_OPS.MatMul.run({ node, opset: ctx.opset, inputs: [onnxValue(a), onnxValue(b)], prepared: undefined })[0]);
}

function conv(ctx: OpContext, x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const node: NodeIR = { ...ctx.node, opType: 'Conv' };
  return asOnnx(CONV_OPS.Conv.run({ node, opset: ctx.opset, inputs: [onnxValue(x), onnxValue(w)], prepared: undefined })[0]);
}

function requantize(ctx: OpContext, acc: tf.Tensor, scale: tf.Tensor, yZp: Value | undefined): Value[] {
  const dtype = yZp?.onnxDtype ?? 'uint8';
  const range = dtype === 'string' ? undefined : RANGE[dtype];
  if (!range) throw new Error(`tfjs cannot run operator ${ctx.node.opType} (opset ${ctx.opset}) with ${dtype} output: not implemented`);
  const shift = yZp ? tf.reshape(tf.cast(asOnnx(yZp), 'float32'), []) : tf.scalar(0);
  // tf.round rounds halves to even, as ONNX asks.
  return [onnxValue(tf.cast(tf.clipByValue(tf.add(tf.round(tf.mul(acc, scale)), shift), range[0], range[1]), 'int32'))];
}

/** A per-output-channel scale [M] shaped to broadcast over an [N, M, ...] result; a scalar stays scalar. */
function channelScale(s: tf.Tensor, rank: number, channelAxis: number): tf.Tensor {
  if (s.size === 1) return tf.reshape(s, []);
  return tf.reshape(s, Array.from({ length: rank }, (_, i) => (i === channelAxis ? s.size : 1)));
}

export const INTEGER_OPS: OpTable = {
  MatMulInteger: {
    run: (ctx) => {
      const [a, b, azp, bzp] = ctx.inputs;
      return [onnxValue(tf.cast(matMul(ctx, centred(a!, azp, -2), centred(b!, bzp, -1)), 'int32'))];
    },
  },
  ConvInteger: {
    run: (ctx) => {
      const [x, w, xzp, wzp] = ctx.inputs;
      return [onnxValue(tf.cast(conv(ctx, centred(x!, xzp, 1), centred(w!, wzp, 0)), 'int32'))];
    },
  },
  QLinearMatMul: {
    run: (ctx) => {
      const [a, as, azp, b, bs, bzp, ys, yzp] = ctx.inputs;
      const acc = matMul(ctx, centred(a!, azp, -2), centred(b!, bzp, -1));
      const scale = tf.div(tf.mul(asOnnx(as!), asOnnx(bs!)), asOnnx(ys!));
      return requantize(ctx, acc, scale.size === 1 ? tf.reshape(scale, []) : scale, yzp);
    },
  },
  QLinearConv: {
    run: (ctx) => {
      const [x, xs, xzp, w, ws, wzp, ys, yzp, bias] = ctx.inputs;
      let acc = conv(ctx, centred(x!, xzp, 1), centred(w!, wzp, 0));
      if (bias) acc = tf.add(acc, channelScale(tf.cast(asOnnx(bias), 'float32'), acc.rank, 1));
      const scale = channelScale(tf.div(tf.mul(asOnnx(xs!), asOnnx(ws!)), asOnnx(ys!)), acc.rank, 1);
      return requantize(ctx, acc, scale, yzp);
    },
  },
};
