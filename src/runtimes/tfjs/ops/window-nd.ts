/**
 * Sliding windows over any number of spatial axes (ONNX layout [N, C, ...]):
 * pads from pads / auto_pad / ceil_mode, and the strided view of the padded
 * input at each kernel offset. The N-d pools and ConvTranspose build on this.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NodeIR } from '../../../onnx/ir.js';
import { intAttr, intsAttr, stringAttr } from '../attrs.js';
import { checkWindowFits } from '../kernel-limits.js';

export interface WindowNd {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Begin pads per spatial axis, then end pads (ONNX order). */
  pads: number[];
  /** Output size per spatial axis. */
  out: number[];
}

export function windowNd(node: NodeIR, spatial: number[], kernel: number[]): WindowNd {
  const n = spatial.length;
  const strides = intsAttr(node, 'strides', Array(n).fill(1));
  const dilations = intsAttr(node, 'dilations', Array(n).fill(1));
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
  const span = kernel.map((k, i) => (k - 1) * dilations[i] + 1);
  let pads = intsAttr(node, 'pads', Array(2 * n).fill(0)).slice();
  if (autoPad === 'VALID') pads = Array(2 * n).fill(0);
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    spatial.forEach((size, i) => {
      const total = Math.max((Math.ceil(size / strides[i]) - 1) * strides[i] + span[i] - size, 0);
      const small = Math.floor(total / 2);
      pads[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      pads[n + i] = total - pads[i];
    });
  }
  checkWindowFits(node, spatial, kernel, dilations, pads.slice(0, n), pads.slice(n));
  const ceil = intAttr(node, 'ceil_mode', 0) === 1;
  const out = spatial.map((size, i) => {
    const room = size + pads[i] + pads[n + i] - span[i];
    let o = (ceil ? Math.ceil(room / strides[i]) : Math.floor(room / strides[i])) + 1;
    // As in ONNX, a last window that would start inside the end padding is dropped.
    if (ceil && (o - 1) * strides[i] >= size + pads[i]) o--;
    return o;
  });
  // Extra end padding so that every window of the output lies inside the padded input.
  spatial.forEach((size, i) => {
    const need = (out[i] - 1) * strides[i] + span[i] - (size + pads[i] + pads[n + i]);
    if (need > 0) pads[n + i] += need;
  });
  return { kernel, strides, dilations, pads, out };
}

export function padSpatial(x: tf.Tensor, w: WindowNd, value: number): tf.Tensor {
  const n = w.kernel.length;
  if (w.pads.every((p) => p === 0)) return x;
  return tf.pad(x, [[0, 0], [0, 0], ...w.kernel.map((_, i): [number, number] => [w.pads[i], w.pads[n + i]])], value);
}

/** Every kernel offset, as a vector of per-axis positions. */
export function kernelOffsets(kernel: number[]): number[][] {
  let offsets: number[][] = [[]];
  for (const k of kernel) offsets = offsets.flatMap((o) => Array.from({ length: k }, (_, j) => [...o, j]));
  return offsets;
}

/** The padded input's elements that kernel position `offset` sees, one per output position. */
export function windowView(padded: tf.Tensor, w: WindowNd, offset: number[]): tf.Tensor {
  const begin = [0, 0, ...offset.map((o, i) => o * w.dilations[i])];
  const end = [padded.shape[0]!, padded.shape[1]!, ...offset.map((o, i) => o * w.dilations[i] + (w.out[i] - 1) * w.strides[i] + 1)];
  return tf.stridedSlice(padded, begin, end, [1, 1, ...w.strides]);
}
