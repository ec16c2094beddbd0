/** Window functions: HannWindow, HammingWindow, BlackmanWindow (values computed on the host, then uploaded). */
import * as tf from '@tensorflow/tfjs-core';
import { dtypeOfElemType } from '../../../onnx/read.js';
import { intAttr } from '../attrs.js';
import { tfDtypeOf } from '../host.js';
import { intsOf, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

type Shape = (n: number, denom: number) => number;

const SHAPES: Record<string, Shape> = {
  HannWindow: (n, d) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / d),
  HammingWindow: (n, d) => 25 / 46 - (21 / 46) * Math.cos((2 * Math.PI * n) / d),
  BlackmanWindow: (n, d) => 0.42 - 0.5 * Math.cos((2 * Math.PI * n) / d) + 0.08 * Math.cos((4 * Math.PI * n) / d),
};

function windowOp(shape: Shape) {
  return (ctx: OpContext): Value[] => {
    const size = intsOf(input(ctx, 0))[0];
    const denom = intAttr(ctx.node, 'periodic', 1) === 1 ? size : size - 1;
    const values = Array.from({ length: size }, (_, n) => shape(n, denom));
    return [onnxValue(tf.tensor1d(values, tfDtypeOf(dtypeOfElemType(intAttr(ctx.node, 'output_datatype', 1)))))];
  };
}

export const SIGNAL_OPS: OpTable = Object.fromEntries(Object.entries(SHAPES).map(([op, shape]) => [op, { run: windowOp(shape) }]));
