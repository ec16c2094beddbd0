/**
 * Resize (and the older Upsample), in every ONNX mode, as separable
 * per-axis interpolation: for each resized axis the source taps and their
 * weights are computed on the host from the coordinate transformation, then
 * the tensor is gathered at each tap and the weighted taps are summed. This
 * matches the ONNX definition exactly for nearest, linear and cubic.
 */
import * as tf from '@tensorflow/tfjs-core';
import { floatAttr, intAttr, intsAttr, stringAttr } from '../attrs.js';
import { asOnnx, intsOf, numbersOf, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

interface AxisPlan {
  inLen: number;
  outLen: number;
  scale: number;
  roiStart: number;
  roiEnd: number;
}

interface ResizeMode {
  mode: string;
  transform: string;
  nearest: string;
  cubicA: number;
  excludeOutside: boolean;
  extrapolation: number;
}

function sourceCoord(x: number, p: AxisPlan, transform: string): number {
  switch (transform) {
    case 'half_pixel': return (x + 0.5) / p.scale - 0.5;
    case 'half_pixel_symmetric': {
      const adjustment = p.outLen / (p.scale * p.inLen);
      return (p.inLen / 2) * (1 - adjustment) + (x + 0.5) / p.scale - 0.5;
    }
    case 'pytorch_half_pixel': return p.outLen > 1 ? (x + 0.5) / p.scale - 0.5 : 0;
    case 'align_corners': return p.outLen === 1 ? 0 : (x * (p.inLen - 1)) / (p.outLen - 1);
    case 'asymmetric': return x / p.scale;
    case 'tf_half_pixel_for_nn': return (x + 0.5) / p.scale;
    case 'tf_crop_and_resize': return p.outLen > 1
      ? p.roiStart * (p.inLen - 1) + (x * (p.roiEnd - p.roiStart) * (p.inLen - 1)) / (p.outLen - 1)
      : 0.5 * (p.roiStart + p.roiEnd) * (p.inLen - 1);
    default: throw new Error(`coordinate_transformation_mode ${JSON.stringify(transform)} is not an ONNX mode`);
  }
}

function nearestIndex(x: number, how: string): number {
  switch (how) {
    case 'round_prefer_floor': return Number.isInteger(x - 0.5) ? Math.floor(x) : Math.round(x);
    case 'round_prefer_ceil': return Math.floor(x + 0.5);
    case 'floor': return Math.floor(x);
    case 'ceil': return Math.ceil(x);
    default: throw new Error(`nearest_mode ${JSON.stringify(how)} is not an ONNX mode`);
  }
}

function cubicWeights(t: number, a: number): number[] {
  const far = (d: number) => ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  const near = (d: number) => ((a + 2) * d - (a + 3)) * d * d + 1;
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}

/** For one axis: taps[k][o] is the source index of tap k for output o, weights[k][o] its weight. */
function axisTaps(p: AxisPlan, m: ResizeMode): { taps: number[][]; weights: number[][]; outside: boolean[] } {
  const ntaps = m.mode === 'nearest' ? 1 : m.mode === 'linear' ? 2 : 4;
  const taps = Array.from({ length: ntaps }, () => new Array<number>(p.outLen));
  const weights = Array.from({ length: ntaps }, () => new Array<number>(p.outLen));
  const outside = new Array<boolean>(p.outLen).fill(false);
  const clamp = (i: number) => Math.min(Math.max(i, 0), p.inLen - 1);
  for (let o = 0; o < p.outLen; o++) {
    const x = sourceCoord(o, p, m.transform);
    outside[o] = m.transform === 'tf_crop_and_resize' && (x < 0 || x > p.inLen - 1);
    if (m.mode === 'nearest') {
      taps[0][o] = clamp(nearestIndex(x, m.nearest));
      weights[0][o] = 1;
    } else if (m.mode === 'linear') {
      const xc = Math.min(Math.max(x, 0), p.inLen - 1);
      const x0 = Math.floor(xc);
      taps[0][o] = clamp(x0); taps[1][o] = clamp(x0 + 1);
      weights[0][o] = 1 - (xc - x0); weights[1][o] = xc - x0;
    } else {
      const x0 = Math.floor(x);
      const w = cubicWeights(x - x0, m.cubicA);
      const idx = [x0 - 1, x0, x0 + 1, x0 + 2];
      if (m.excludeOutside) {
        idx.forEach((i, k) => { if (i < 0 || i >= p.inLen) w[k] = 0; });
        const sum = w.reduce((a, b) => a + b, 0);
        w.forEach((_, k) => { w[k] /= sum; });
      }
      idx.forEach((i, k) => { taps[k][o] = clamp(i); weights[k][o] = w[k]; });
    }
  }
  return { taps, weights, outside };
}

function resizeAxis(x: tf.Tensor, axis: number, p: AxisPlan, m: ResizeMode): tf.Tensor {
  const { taps, weights, outside } = axisTaps(p, m);
  const bshape = x.shape.map((d, i) => (i === axis ? p.outLen : 1));
  let y: tf.Tensor | undefined;
  taps.forEach((t, k) => {
    const picked = tf.gather(x, tf.tensor1d(t, 'int32'), axis);
    const term = m.mode === 'nearest' ? picked : tf.mul(picked, tf.reshape(tf.tensor1d(weights[k]), bshape));
    y = y ? tf.add(y, term) : term;
  });
  if (!outside.some(Boolean)) return y!;
  const mask = tf.reshape(tf.tensor1d(outside.map(Number)), bshape);
  return tf.where(tf.cast(tf.broadcastTo(mask, y!.shape), 'bool'), tf.fill(y!.shape, m.extrapolation), y!);
}

function resize(ctx: OpContext): Value[] {
  const { node } = ctx;
  let x = asOnnx(input(ctx, 0));
  const legacy = node.opType === 'Upsample' || ctx.opset < 11;
  const policy = stringAttr(node, 'keep_aspect_ratio_policy', 'stretch');
  if (policy !== 'stretch' || intAttr(node, 'antialias', 0) !== 0 || intsAttr(node, 'axes')) {
    throw new Error(`tfjs cannot run operator Resize (opset ${ctx.opset}) with antialias, axes or keep_aspect_ratio_policy: not implemented`);
  }
  const m: ResizeMode = {
    mode: stringAttr(node, 'mode', 'nearest') === 'bilinear' ? 'linear' : stringAttr(node, 'mode', 'nearest'),
    transform: legacy ? 'asymmetric' : stringAttr(node, 'coordinate_transformation_mode', 'half_pixel'),
    nearest: legacy ? 'floor' : stringAttr(node, 'nearest_mode', 'round_prefer_floor'),
    cubicA: floatAttr(node, 'cubic_coeff_a', -0.75),
    excludeOutside: intAttr(node, 'exclude_outside', 0) === 1,
    extrapolation: floatAttr(node, 'extrapolation_value', 0),
  };
  if (!['nearest', 'linear', 'cubic'].includes(m.mode)) throw new Error(`mode ${JSON.stringify(m.mode)} is not an ONNX Resize mode`);
  const scalesInput = node.opType === 'Upsample' ? (ctx.inputs[1] ?? undefined) : legacy ? ctx.inputs[1] : ctx.inputs[2];
  const scalesAttr = node.attrs.scales as number[] | undefined;
  const scales = scalesInput && scalesInput.tensor.size > 0 ? numbersOf(scalesInput) : scalesAttr;
  const sizes = !legacy && ctx.inputs[3] && ctx.inputs[3].tensor.size > 0 ? intsOf(ctx.inputs[3]) : undefined;
  const roi = !legacy && ctx.inputs[1] && ctx.inputs[1].tensor.size > 0 ? numbersOf(ctx.inputs[1]) : undefined;
  if (!scales && !sizes) throw new Error('Resize needs scales or sizes');
  const rank = x.rank;
  const dtype = x.dtype;
  if (dtype !== 'float32') x = tf.cast(x, 'float32');
  for (let axis = 0; axis < rank; axis++) {
    const inLen = x.shape[axis];
    const outLen = sizes ? sizes[axis] : Math.floor(inLen * scales![axis]);
    const scale = sizes ? outLen / inLen : scales![axis];
    if (scale === 1 && m.transform !== 'tf_crop_and_resize') continue;
    const plan: AxisPlan = { inLen, outLen, scale, roiStart: roi ? roi[axis] : 0, roiEnd: roi ? roi[rank + axis] : 1 };
    x = resizeAxis(x, axis, plan, m);
  }
  return [onnxValue(dtype === 'float32' ? x : tf.cast(tf.round(x), dtype))];
}

export const RESIZE_OPS: OpTable = {
  Resize: { run: resize },
  Upsample: { run: resize },
};
