/**
 * Element-wise operators. They work in whatever layout their input is in,
 * so an activation or a residual Add on the conv path stays channels-last.
 */
import * as tf from '@tensorflow/tfjs-core';
import { floatAttr, stringAttr } from '../attrs.js';
import { alignLayouts, numbersOf, type Value } from '../values.js';
import { input, type OpContext, type OpImpl, type OpTable } from './types.js';

function unary(fn: (x: tf.Tensor, ctx: OpContext) => tf.Tensor): OpImpl {
  return {
    run(ctx) {
      const x = input(ctx, 0);
      return [{ tensor: fn(x.tensor, ctx), layout: x.layout }];
    },
  };
}

function variadic(fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): OpImpl {
  return {
    run(ctx) {
      const present = ctx.inputs.filter((v): v is Value => v !== undefined);
      const { tensors, layout } = alignLayouts(present);
      return [{ tensor: tensors.slice(1).reduce(fn, tensors[0]), layout }];
    },
  };
}

const isInt = (t: tf.Tensor) => t.dtype === 'int32';

/** ONNX integer division truncates toward zero; tfjs's integer div floors. */
function divide(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (!isInt(a) || !isInt(b)) return tf.div(a, b);
  return tf.cast(tf.div(tf.cast(a, 'float32'), tf.cast(b, 'float32')), 'int32');
}

/** Clip bounds: attributes before opset 11, optional inputs from 11 on. */
function clipBounds(ctx: OpContext): [number, number] {
  if (ctx.opset < 11) return [floatAttr(ctx.node, 'min', -Infinity), floatAttr(ctx.node, 'max', Infinity)];
  const bound = (i: number, fallback: number) => (ctx.inputs[i] ? numbersOf(ctx.inputs[i]!)[0] : fallback);
  return [bound(1, -Infinity), bound(2, Infinity)];
}

const FLOAT_MAX = 3.4028234663852886e38;

function clip(x: tf.Tensor, ctx: OpContext): tf.Tensor {
  const [lo, hi] = clipBounds(ctx);
  if (lo === 0 && hi === 6) return tf.relu6(x);
  if (lo === 0 && hi === Infinity) return tf.relu(x);
  return tf.clipByValue(x, Math.max(lo, -FLOAT_MAX), Math.min(hi, FLOAT_MAX));
}

function gelu(x: tf.Tensor, ctx: OpContext): tf.Tensor {
  if (stringAttr(ctx.node, 'approximate', 'none') === 'tanh') {
    const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  }
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

function hardSigmoid(x: tf.Tensor, ctx: OpContext): tf.Tensor {
  const alpha = floatAttr(ctx.node, 'alpha', 0.2);
  const beta = floatAttr(ctx.node, 'beta', 0.5);
  return tf.clipByValue(tf.add(tf.mul(x, alpha), beta), 0, 1);
}

/**
 * Inference mode passes the input through with an all-true mask. Training
 * mode (a true training_mode input) draws random numbers, which no runtime
 * reproduces: refuse it rather than give different values.
 */
function dropout(ctx: OpContext): Value[] {
  const x = input(ctx, 0);
  const training = ctx.inputs[2] ? numbersOf(ctx.inputs[2])[0] !== 0 : false;
  const ratio = ctx.inputs[1] ? numbersOf(ctx.inputs[1])[0] : 0.5;
  if (training && ratio !== 0) throw new Error(`tfjs cannot run operator Dropout (opset ${ctx.opset}) in training mode: not implemented (random masks)`);
  return [x, { tensor: tf.cast(tf.onesLike(x.tensor), 'bool'), layout: x.layout }];
}

export const ELEMENTWISE_OPS: OpTable = {
  Relu: unary((x) => tf.relu(x)),
  Sigmoid: unary((x) => tf.sigmoid(x)),
  Tanh: unary((x) => tf.tanh(x)),
  Erf: unary((x) => tf.erf(x)),
  Sqrt: unary((x) => tf.sqrt(x)),
  Exp: unary((x) => tf.exp(x)),
  Log: unary((x) => tf.log(x)),
  Abs: unary((x) => tf.abs(x)),
  Neg: unary((x) => tf.neg(x)),
  Floor: unary((x) => tf.floor(x)),
  Ceil: unary((x) => tf.ceil(x)),
  Reciprocal: unary((x) => tf.reciprocal(x)),
  Softplus: unary((x) => tf.softplus(x)),
  Not: unary((x) => tf.logicalNot(x)),
  Identity: unary((x) => x),
  Dropout: { run: dropout },
  Clip: unary(clip),
  Gelu: unary(gelu),
  HardSigmoid: unary(hardSigmoid),
  HardSwish: unary((x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6))),
  LeakyRelu: unary((x, ctx) => tf.leakyRelu(x, floatAttr(ctx.node, 'alpha', 0.01))),
  Elu: unary((x, ctx) => {
    const alpha = floatAttr(ctx.node, 'alpha', 1);
    return alpha === 1 ? tf.elu(x) : tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.sub(tf.exp(x), 1)));
  }),
  Add: variadic((a, b) => tf.add(a, b)),
  Sub: variadic((a, b) => tf.sub(a, b)),
  Mul: variadic((a, b) => tf.mul(a, b)),
  Div: variadic(divide),
  Pow: variadic((a, b) => tf.pow(a, b)),
  Sum: variadic((a, b) => tf.add(a, b)),
  Max: variadic((a, b) => tf.maximum(a, b)),
  Min: variadic((a, b) => tf.minimum(a, b)),
  Equal: variadic((a, b) => tf.equal(a, b)),
  Greater: variadic((a, b) => tf.greater(a, b)),
  GreaterOrEqual: variadic((a, b) => tf.greaterEqual(a, b)),
  Less: variadic((a, b) => tf.less(a, b)),
  LessOrEqual: variadic((a, b) => tf.lessEqual(a, b)),
  And: variadic((a, b) => tf.logicalAnd(a, b)),
  Or: variadic((a, b) => tf.logicalOr(a, b)),
  Where: {
    run(ctx) {
      const { tensors: [c, a, b], layout } = alignLayouts([input(ctx, 0), input(ctx, 1), input(ctx, 2)]);
      return [{ tensor: tf.where(tf.cast(c, 'bool'), a, b), layout }];
    },
  },
};
