/** Element-wise math beyond the activations: trigonometry, rounding, tests, Mod, bitwise logic, Mean, CastLike. */
import * as tf from '@tensorflow/tfjs-core';
import { floatAttr, intAttr, stringAttr } from '../attrs.js';
import { alignLayouts, type Value } from '../values.js';
import { input, type OpContext, type OpImpl, type OpTable } from './types.js';

function unary(fn: (x: tf.Tensor, ctx: OpContext) => tf.Tensor): OpImpl {
  return {
    run(ctx) {
      const x = input(ctx, 0);
      return [{ tensor: fn(x.tensor, ctx), layout: x.layout }];
    },
  };
}

function binary(fn: (a: tf.Tensor, b: tf.Tensor, ctx: OpContext) => tf.Tensor): OpImpl {
  return {
    run(ctx) {
      const { tensors: [a, b], layout } = alignLayouts([input(ctx, 0), input(ctx, 1)]);
      return [{ tensor: fn(a, b, ctx), layout }];
    },
  };
}

function selu(x: tf.Tensor, ctx: OpContext): tf.Tensor {
  const alpha = floatAttr(ctx.node, 'alpha', 1.67326319217681884765625);
  const gamma = floatAttr(ctx.node, 'gamma', 1.05070102214813232421875);
  return tf.mul(gamma, tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.sub(tf.exp(x), 1))));
}

function celu(x: tf.Tensor, ctx: OpContext): tf.Tensor {
  const alpha = floatAttr(ctx.node, 'alpha', 1);
  return tf.add(tf.relu(x), tf.minimum(0, tf.mul(alpha, tf.sub(tf.exp(tf.div(x, alpha)), 1))));
}

function shrink(x: tf.Tensor, ctx: OpContext): tf.Tensor {
  const lambd = floatAttr(ctx.node, 'lambd', 0.5);
  const bias = floatAttr(ctx.node, 'bias', 0);
  const xf = tf.cast(x, 'float32');
  const y = tf.where(tf.less(xf, -lambd), tf.add(xf, bias), tf.where(tf.greater(xf, lambd), tf.sub(xf, bias), tf.zerosLike(xf)));
  return x.dtype === 'int32' ? tf.cast(y, 'int32') : y;
}

function isInf(x: tf.Tensor, ctx: OpContext): tf.Tensor {
  const pos = intAttr(ctx.node, 'detect_positive', 1) === 1;
  const neg = intAttr(ctx.node, 'detect_negative', 1) === 1;
  const p = pos ? tf.equal(x, Infinity) : tf.cast(tf.zerosLike(x), 'bool');
  const n = neg ? tf.equal(x, -Infinity) : tf.cast(tf.zerosLike(x), 'bool');
  return tf.logicalOr(p, n);
}

/** fmod=0: the remainder takes the divisor's sign (Python %); fmod=1: the dividend's (C fmod). */
function mod(a: tf.Tensor, b: tf.Tensor, ctx: OpContext): tf.Tensor {
  if (intAttr(ctx.node, 'fmod', 0) === 0) return tf.mod(a, b);
  const af = tf.cast(a, 'float32');
  const bf = tf.cast(b, 'float32');
  const q = tf.mul(tf.sign(tf.div(af, bf)), tf.floor(tf.abs(tf.div(af, bf))));
  const r = tf.sub(af, tf.mul(q, bf));
  return a.dtype === 'int32' ? tf.cast(r, 'int32') : r;
}

function prelu(x: tf.Tensor, slope: tf.Tensor): tf.Tensor {
  return tf.where(tf.less(x, 0), tf.mul(x, slope), tf.mul(x, tf.onesLike(slope)));
}

/** Bits of each unsigned type that tfjs's int32 can carry exactly. */
const UNSIGNED_BITS: Record<string, number> = { uint8: 8 };

/** x << y or x >> y on unsigned values, as multiplication or floor division by 2^y, wrapped to the type's width. */
function bitShift(ctx: OpContext): Value[] {
  const [xv, yv] = [input(ctx, 0), input(ctx, 1)];
  const bits = UNSIGNED_BITS[xv.onnxDtype ?? ''];
  if (!bits) throw new Error(`tfjs cannot run operator BitShift (opset ${ctx.opset}) on ${xv.onnxDtype ?? 'values of unknown type'}: not implemented (tfjs carries integers as int32)`);
  const { tensors: [x, y], layout } = alignLayouts([xv, yv]);
  const scale = tf.pow(tf.scalar(2, 'int32'), tf.cast(y, 'int32'));
  const left = stringAttr(ctx.node, 'direction', '') === 'LEFT';
  const shifted = left ? tf.mod(tf.mul(x, scale), tf.scalar(2 ** bits, 'int32')) : tf.floorDiv(x, scale);
  return [{ tensor: shifted, layout }];
}

export const MATH_OPS: OpTable = {
  BitShift: { run: bitShift },
  Sin: unary((x) => tf.sin(x)),
  Cos: unary((x) => tf.cos(x)),
  Tan: unary((x) => tf.tan(x)),
  Asin: unary((x) => tf.asin(x)),
  Acos: unary((x) => tf.acos(x)),
  Atan: unary((x) => tf.atan(x)),
  Sinh: unary((x) => tf.sinh(x)),
  Cosh: unary((x) => tf.cosh(x)),
  Asinh: unary((x) => tf.asinh(x)),
  Acosh: unary((x) => tf.acosh(x)),
  Atanh: unary((x) => tf.atanh(x)),
  // tf.round rounds halves to even, as ONNX Round does.
  Round: unary((x) => tf.round(x)),
  Sign: unary((x) => tf.sign(x)),
  IsNaN: unary((x) => tf.isNaN(x)),
  IsInf: unary(isInf),
  Softsign: unary((x) => tf.div(x, tf.add(1, tf.abs(x)))),
  Selu: unary(selu),
  Celu: unary(celu),
  Shrink: unary(shrink),
  ThresholdedRelu: unary((x, ctx) => tf.where(tf.greater(x, floatAttr(ctx.node, 'alpha', 1)), x, tf.zerosLike(x))),
  Mish: unary((x) => tf.mul(x, tf.tanh(tf.softplus(x)))),
  Mod: binary(mod),
  Xor: binary((a, b) => tf.logicalXor(a, b)),
  PRelu: binary(prelu),
  Mean: {
    run(ctx) {
      const present = ctx.inputs.filter((v): v is Value => v !== undefined);
      const { tensors, layout } = alignLayouts(present);
      return [{ tensor: tf.div(tensors.slice(1).reduce((a, b) => tf.add(a, b), tensors[0]), tensors.length), layout }];
    },
  },
};
