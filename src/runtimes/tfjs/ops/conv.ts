/**
 * Conv (2-D, with groups and depthwise) on channels-last activations; 1-D
 * and 3-D convolutions go through convNd in ONNX layout. The
 * ONNX kernel [M, C/group, kh, kw] is transposed once at session creation to
 * what tfjs wants: [kh, kw, C, M] for a plain conv, [kh, kw, C, M/C] for a
 * depthwise one, one slice per group otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, stringAttr } from '../attrs.js';
import { asNhwc, asOnnx, nhwcValue, onnxValue, type Value } from '../values.js';
import { fusedPadding, resolvePads, windowOf } from './padding.js';
import { input, type OpContext, type OpImpl, type PrepareContext } from './types.js';
import { convValid } from './conv-transpose.js';
import { padSpatial, windowNd } from './window-nd.js';

/** Set by the fusion pass when a following Relu/Clip(0,6) was folded into this conv. */
export const FUSED_ACTIVATION_ATTR = 'tfjs_fused_activation';

type Kind = 'plain' | 'depthwise' | 'grouped';

interface ConvWeights {
  kind: Kind;
  /** One filter, or one per group. */
  filters: tf.Tensor4D[];
  bias?: tf.Tensor1D;
  kernel: [number, number];
}

function kernelsOf(w: tf.Tensor, group: number): { kind: Kind; filters: tf.Tensor4D[] } {
  const [m, cPerGroup, kh, kw] = w.shape as [number, number, number, number];
  const hwio = (t: tf.Tensor) => tf.transpose(t, [2, 3, 1, 0]) as tf.Tensor4D;
  if (group === 1) return { kind: 'plain', filters: [hwio(w)] };
  if (cPerGroup === 1) return { kind: 'depthwise', filters: [tf.reshape(hwio(w), [kh, kw, group, m / group])] };
  const perGroup = m / group;
  return { kind: 'grouped', filters: Array.from({ length: group }, (_, g) => hwio(tf.slice(w, [g * perGroup, 0, 0, 0], [perGroup, cPerGroup, kh, kw]))) };
}

function weightsOf(w: tf.Tensor, b: tf.Tensor | undefined, group: number, node: OpContext['node']): ConvWeights {
  if (w.rank !== 4) throw new Error(`tfjs: Conv node ${node.name}: only 2-D convolutions are supported, kernel shape is [${w.shape.join(', ')}]`);
  return { ...kernelsOf(w, group), bias: b as tf.Tensor1D | undefined, kernel: [w.shape[2]!, w.shape[3]!] };
}

/** Conv over 1 or 3 spatial axes, in ONNX layout: explicit pads, then one valid convolution per group. */
function convNd(ctx: OpContext): Value[] {
  const { node } = ctx;
  const x = asOnnx(input(ctx, 0));
  const w = asOnnx(input(ctx, 1));
  const group = intAttr(node, 'group', 1);
  const win = windowNd(node, x.shape.slice(2), w.shape.slice(2));
  const padded = padSpatial(x, win, 0);
  const xs = group === 1 ? [padded] : tf.split(padded, group, 1);
  const ws = group === 1 ? [w] : tf.split(w, group, 0);
  const parts = xs.map((xg, g) => convValid(xg, ws[g], win.strides, win.dilations, 'Conv'));
  let y = parts.length === 1 ? parts[0] : tf.concat(parts, 1);
  if (ctx.inputs[2]) y = tf.add(y, tf.reshape(asOnnx(ctx.inputs[2]), [-1, ...Array(x.rank - 2).fill(1)]));
  // The fusion pass may have folded a following Relu or Clip(0, 6) into this node.
  const activation = stringAttr(node, FUSED_ACTIVATION_ATTR, 'linear');
  if (activation === 'relu') y = tf.relu(y);
  if (activation === 'relu6') y = tf.relu6(y);
  return [onnxValue(y)];
}

function prepare(ctx: PrepareContext): ConvWeights | undefined {
  const w = ctx.constant(ctx.node.inputs[1]);
  if (w && w.tensor.rank !== 4) return undefined;
  const b = ctx.node.inputs[2] ? ctx.constant(ctx.node.inputs[2]) : undefined;
  if (!w || (ctx.node.inputs[2] && !b)) return undefined;
  // tidy frees the intermediate transposes and keeps the tensors inside the returned object.
  const weights = tf.tidy(() => weightsOf(w.tensor, b?.tensor, intAttr(ctx.node, 'group', 1), ctx.node) as unknown as tf.TensorContainer) as unknown as ConvWeights;
  weights.filters.forEach((f) => ctx.keep(f));
  if (weights.bias) ctx.keep(weights.bias);
  return weights;
}

function run(ctx: OpContext): Value[] {
  const { node } = ctx;
  if (!ctx.prepared && input(ctx, 1).tensor.rank !== 4) return convNd(ctx);
  const group = intAttr(node, 'group', 1);
  const weights = (ctx.prepared as ConvWeights | undefined)
    ?? weightsOf(input(ctx, 1).tensor, ctx.inputs[2]?.tensor, group, node);
  let x = asNhwc(input(ctx, 0)) as tf.Tensor4D;
  const win = windowOf(node, weights.kernel);
  const pads = resolvePads(node, [x.shape[1], x.shape[2]], win);
  let pad = fusedPadding(pads, [x.shape[1], x.shape[2]], win);
  if (pad === undefined) {
    // Asymmetric padding that is not tfjs's 'same': pad explicitly (fused convs take no per-edge padding).
    x = tf.pad(x, [[0, 0], [pads[0], pads[2]], [pads[1], pads[3]], [0, 0]]);
    pad = 'valid';
  }
  const activation = stringAttr(node, FUSED_ACTIVATION_ATTR, 'linear') as 'linear' | 'relu' | 'relu6';
  const common = { strides: win.strides, pad, dilations: win.dilations, dataFormat: 'NHWC' as const };
  if (weights.kind === 'plain') {
    return [nhwcValue(tf.fused.conv2d({ x, filter: weights.filters[0], bias: weights.bias, activation, ...common }))];
  }
  if (weights.kind === 'depthwise') {
    return [nhwcValue(tf.fused.depthwiseConv2d({ x, filter: weights.filters[0], bias: weights.bias, activation, ...common }))];
  }
  const parts = tf.split(x, group, 3).map((xg, g) => tf.conv2d(xg as tf.Tensor4D, weights.filters[g], win.strides, pad, 'NHWC', win.dilations));
  let y: tf.Tensor = tf.concat(parts, 3);
  if (weights.bias) y = tf.add(y, weights.bias);
  if (activation === 'relu') y = tf.relu(y);
  if (activation === 'relu6') y = tf.relu6(y);
  return [nhwcValue(y)];
}

export const CONV_OPS: Record<string, OpImpl> = { Conv: { prepare, run, absorbs: (prepared) => (prepared ? [1, 2] : []) } };
