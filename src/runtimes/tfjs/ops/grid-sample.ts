/**
 * GridSample (2-D) on the host: every output pixel reads the input at a
 * data-dependent position, which no tfjs kernel does with ONNX's padding
 * modes (zeros, border, reflection), align_corners and its nearest,
 * bilinear and bicubic interpolation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr, stringAttr } from '../attrs.js';
import { asOnnx, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

/** Reflect x into [lo, hi] as often as needed. */
function reflect(x: number, lo: number, hi: number): number {
  const range = hi - lo;
  if (range <= 0) return lo;
  if (x < lo) {
    const d = lo - x;
    const n = Math.floor(d / range);
    const r = d - n * range;
    return n % 2 === 0 ? lo + r : hi - r;
  }
  if (x > hi) {
    const d = x - hi;
    const n = Math.floor(d / range);
    const r = d - n * range;
    return n % 2 === 0 ? hi - r : lo + r;
  }
  return x;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function cubic(t: number): number[] {
  const a = -0.75;
  const far = (d: number) => ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  const near = (d: number) => ((a + 2) * d - (a + 3)) * d * d + 1;
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}

function gridSample(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const grid = asOnnx(input(ctx, 1));
  if (x.rank !== 4) throw new Error(`tfjs cannot run operator GridSample (opset ${ctx.opset}) on a rank-${x.rank} input: not implemented`);
  const [n, c, h, w] = x.shape;
  const [, ho, wo] = grid.shape;
  const mode = stringAttr(ctx.node, 'mode', ctx.opset >= 20 ? 'linear' : 'bilinear').replace(/^bi/, '');
  const padding = stringAttr(ctx.node, 'padding_mode', 'zeros');
  const align = intAttr(ctx.node, 'align_corners', 0) === 1;
  const data = x.dataSync() as Float32Array;
  const g = grid.dataSync() as Float32Array;
  const [xMin, xMax, yMin, yMax] = align ? [0, w - 1, 0, h - 1] : [-0.5, w - 0.5, -0.5, h - 0.5];
  const out = new Float32Array(n * c * ho * wo);
  const pixel = (plane: number, r: number, col: number): number => {
    if (padding === 'zeros') return r < 0 || r >= h || col < 0 || col >= w ? 0 : data[plane + r * w + col];
    if (padding === 'border') return data[plane + Math.min(Math.max(r, 0), h - 1) * w + Math.min(Math.max(col, 0), w - 1)];
    const rr = Math.min(Math.max(Math.trunc(reflect(r, yMin, yMax)), 0), h - 1);
    const cc = Math.min(Math.max(Math.trunc(reflect(col, xMin, xMax)), 0), w - 1);
    return data[plane + rr * w + cc];
  };
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        const gi = ((b * ho + i) * wo + j) * 2;
        let px = align ? ((g[gi] + 1) / 2) * (w - 1) : ((g[gi] + 1) * w - 1) / 2;
        let py = align ? ((g[gi + 1] + 1) / 2) * (h - 1) : ((g[gi + 1] + 1) * h - 1) / 2;
        if (padding === 'border') { px = Math.min(Math.max(px, 0), w - 1); py = Math.min(Math.max(py, 0), h - 1); }
        if (padding === 'reflection') { px = reflect(px, xMin, xMax); py = reflect(py, yMin, yMax); }
        for (let ch = 0; ch < c; ch++) {
          const plane = (b * c + ch) * h * w;
          let v: number;
          if (mode === 'nearest') {
            v = pixel(plane, roundHalfEven(py), roundHalfEven(px));
          } else if (mode === 'linear') {
            const x0 = Math.floor(px);
            const y0 = Math.floor(py);
            const dx = px - x0;
            const dy = py - y0;
            v = (1 - dy) * ((1 - dx) * pixel(plane, y0, x0) + dx * pixel(plane, y0, x0 + 1))
              + dy * ((1 - dx) * pixel(plane, y0 + 1, x0) + dx * pixel(plane, y0 + 1, x0 + 1));
          } else if (mode === 'cubic') {
            const x0 = Math.floor(px);
            const y0 = Math.floor(py);
            const wx = cubic(px - x0);
            const wy = cubic(py - y0);
            v = 0;
            for (let a = 0; a < 4; a++) {
              let row = 0;
              for (let k = 0; k < 4; k++) row += wx[k] * pixel(plane, y0 - 1 + a, x0 - 1 + k);
              v += wy[a] * row;
            }
          } else {
            throw new Error(`GridSample mode ${JSON.stringify(mode)} is not an ONNX mode`);
          }
          out[((b * c + ch) * ho + i) * wo + j] = v;
        }
      }
    }
  }
  return [onnxValue(tf.tensor4d(out, [n, c, ho, wo]))];
}

export const GRID_SAMPLE_OPS: OpTable = { GridSample: { run: gridSample } };
