/**
 * NonMaxSuppression, on the host: ONNX's selection (per batch and class,
 * scores above score_threshold in descending order, a box kept unless its
 * IoU with a kept one exceeds iou_threshold, at most
 * max_output_boxes_per_class) depends on data-dependent loops that tfjs's
 * own kernel orders differently.
 */
import * as tf from '@tensorflow/tfjs-core';
import { intAttr } from '../attrs.js';
import { asOnnx, numbersOf, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

type Box = [number, number, number, number];

/** [y1, x1, y2, x2] with y1 <= y2 and x1 <= x2, from either ONNX box encoding. */
function corners(b: number[], centerPoint: boolean): Box {
  if (centerPoint) {
    const [cx, cy, w, h] = b;
    return [cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2];
  }
  return [Math.min(b[0], b[2]), Math.min(b[1], b[3]), Math.max(b[0], b[2]), Math.max(b[1], b[3])];
}

function iou(a: Box, b: Box): number {
  const ih = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iw = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ih * iw;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

function nonMaxSuppression(ctx: OpContext): Value[] {
  const boxesT = asOnnx(input(ctx, 0));
  const scoresT = asOnnx(input(ctx, 1));
  const [batches, spatial] = boxesT.shape;
  const classes = scoresT.shape[1]!;
  const boxes = boxesT.dataSync();
  const scores = scoresT.dataSync();
  const maxPerClass = ctx.inputs[2] ? numbersOf(ctx.inputs[2])[0] : 0;
  const iouThreshold = ctx.inputs[3] ? numbersOf(ctx.inputs[3])[0] : 0;
  const scoreThreshold = ctx.inputs[4] ? numbersOf(ctx.inputs[4])[0] : -Infinity;
  const centerPoint = intAttr(ctx.node, 'center_point_box', 0) === 1;
  const selected: number[] = [];
  for (let b = 0; b < batches; b++) {
    const bx = Array.from({ length: spatial }, (_, i) => corners(Array.from(boxes.subarray((b * spatial + i) * 4, (b * spatial + i + 1) * 4)), centerPoint));
    for (let c = 0; c < classes; c++) {
      const base = (b * classes + c) * spatial;
      const order = Array.from({ length: spatial }, (_, i) => i)
        .filter((i) => scores[base + i] > scoreThreshold)
        .sort((i, j) => scores[base + j] - scores[base + i] || i - j);
      const kept: number[] = [];
      for (const i of order) {
        if (kept.length >= maxPerClass) break;
        if (kept.every((k) => iou(bx[i], bx[k]) <= iouThreshold)) kept.push(i);
      }
      for (const i of kept) selected.push(b, c, i);
    }
  }
  return [onnxValue(tf.tensor2d(selected, [selected.length / 3, 3], 'int32'))];
}

export const DETECTION_OPS: OpTable = { NonMaxSuppression: { run: nonMaxSuppression } };
