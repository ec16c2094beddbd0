/**
 * ONNX spatial padding (pads or auto_pad) turned into what tfjs's conv and
 * pool functions accept. Shared by Conv and the pooling operators.
 */
import type { NodeIR } from '../../../onnx/ir.js';
import { intsAttr, stringAttr } from '../attrs.js';
import { checkWindowFits } from '../kernel-limits.js';

/** [top, left, bottom, right] in pixels. */
export type Pads2d = [number, number, number, number];

export interface Window2d {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
}

export function windowOf(node: NodeIR, kernel: number[]): Window2d {
  const strides = intsAttr(node, 'strides', [1, 1]);
  const dilations = intsAttr(node, 'dilations', [1, 1]);
  return { kernel: [kernel[0], kernel[1]], strides: [strides[0], strides[1]], dilations: [dilations[0], dilations[1]] };
}

function samePads(size: number, k: number, s: number, d: number, upper: boolean): [number, number] {
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + (k - 1) * d + 1 - size, 0);
  const small = Math.floor(total / 2);
  return upper ? [small, total - small] : [total - small, small];
}

/** Pads for an input of spatial size [h, w]; `ceilMode` adds end padding so the last partial window counts. */
export function resolvePads(node: NodeIR, hw: [number, number], win: Window2d, ceilMode = false): Pads2d {
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
  let pads: Pads2d;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const [t, b] = samePads(hw[0], win.kernel[0], win.strides[0], win.dilations[0], autoPad === 'SAME_UPPER');
    const [l, r] = samePads(hw[1], win.kernel[1], win.strides[1], win.dilations[1], autoPad === 'SAME_UPPER');
    pads = [t, l, b, r];
  } else if (autoPad === 'VALID') {
    pads = [0, 0, 0, 0];
  } else {
    const p = intsAttr(node, 'pads', [0, 0, 0, 0]);
    pads = [p[0], p[1], p[2], p[3]];
  }
  if (ceilMode) {
    for (const axis of [0, 1]) {
      const span = (win.kernel[axis] - 1) * win.dilations[axis] + 1;
      const padded = hw[axis] + pads[axis] + pads[axis + 2];
      const floorOut = Math.floor((padded - span) / win.strides[axis]) + 1;
      let ceilOut = Math.ceil((padded - span) / win.strides[axis]) + 1;
      // As in ONNX (and PyTorch), a last window that would start inside the end padding is dropped.
      if ((ceilOut - 1) * win.strides[axis] >= hw[axis] + pads[axis]) ceilOut--;
      pads[axis + 2] += (ceilOut - floorOut) * win.strides[axis];
    }
  }
  checkWindowFits(node, hw, win.kernel, win.dilations, [pads[0], pads[1]], [pads[2], pads[3]]);
  return pads;
}

/**
 * Padding as tfjs's fused conv kernels take it: 'valid', one number for all
 * edges, or 'same' (which is ONNX's SAME_UPPER); undefined when the pads are
 * none of these and must be applied explicitly.
 */
export function fusedPadding(p: Pads2d, hw: [number, number], win: Window2d): 'valid' | 'same' | number | undefined {
  if (p.every((x) => x === 0)) return 'valid';
  if (p.every((x) => x === p[0])) return p[0];
  const [t, b] = samePads(hw[0], win.kernel[0], win.strides[0], win.dilations[0], true);
  const [l, r] = samePads(hw[1], win.kernel[1], win.strides[1], win.dilations[1], true);
  if (p[0] === t && p[1] === l && p[2] === b && p[3] === r) return 'same';
  return undefined;
}

export function hasPadding(p: Pads2d): boolean {
  return p.some((x) => x !== 0);
}
