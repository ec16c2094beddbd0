/** Matrix-shaped operators: Trilu, EyeLike, Einsum. */
import * as tf from '@tensorflow/tfjs-core';
import { dtypeOfElemType } from '../../../onnx/read.js';
import { intAttr, stringAttr } from '../attrs.js';
import { tfDtypeOf } from '../host.js';
import { asOnnx, intsOf, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

/** A [rows, cols] boolean mask of col - row >= k (upper) or col - row <= k (lower). */
function bandMask(rows: number, cols: number, k: number, upper: boolean): tf.Tensor {
  const diff = tf.sub(tf.reshape(tf.range(0, cols, 1, 'int32'), [1, cols]), tf.reshape(tf.range(0, rows, 1, 'int32'), [rows, 1]));
  const kk = tf.scalar(k, 'int32');
  return upper ? tf.greaterEqual(diff, kk) : tf.lessEqual(diff, kk);
}

function trilu(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const k = ctx.inputs[1] ? intsOf(ctx.inputs[1])[0] : 0;
  const [rows, cols] = x.shape.slice(-2);
  if (x.size === 0) return [onnxValue(x)];
  const mask = bandMask(rows, cols, k, intAttr(ctx.node, 'upper', 1) === 1);
  return [onnxValue(tf.where(tf.broadcastTo(mask, x.shape), x, tf.zerosLike(x)))];
}

function eyeLike(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const [rows, cols] = x.shape;
  const dtype = ctx.node.attrs.dtype === undefined ? x.dtype : tfDtypeOf(dtypeOfElemType(intAttr(ctx.node, 'dtype', 1)));
  const diag = tf.equal(tf.sub(tf.reshape(tf.range(0, cols, 1, 'int32'), [1, cols]), tf.reshape(tf.range(0, rows, 1, 'int32'), [rows, 1])), tf.scalar(intAttr(ctx.node, 'k', 0), 'int32'));
  return [onnxValue(tf.cast(diag, dtype))];
}

function einsum(ctx: OpContext): Value[] {
  const equation = stringAttr(ctx.node, 'equation', '').replace(/\s+/g, '');
  const operands = ctx.inputs.filter((v): v is Value => v !== undefined).map(asOnnx);
  if (equation.includes('...')) throw new Error(`tfjs cannot run operator Einsum (opset ${ctx.opset}) with ellipsis equation ${equation}: not implemented`);
  const [lhs, given] = equation.split('->');
  // Implicit output: the letters used once, in alphabetical order.
  const rhs = given ?? [...new Set(lhs.replace(/,/g, ''))].filter((c) => lhs.split(c).length === 2).sort().join('');
  const terms = lhs.split(',');
  if (terms.some((t) => new Set(t).size !== t.length)) {
    throw new Error(`tfjs cannot run operator Einsum (opset ${ctx.opset}) with a repeated index (diagonal) in ${equation}: not implemented`);
  }
  return [onnxValue(einsumByBroadcast(terms, rhs, operands))];
}

/**
 * Einsum as one broadcast product over every index letter, then a sum over
 * the letters the output drops (tfjs's own einsum kernel is missing on wasm).
 */
function einsumByBroadcast(terms: string[], out: string, operands: tf.Tensor[]): tf.Tensor {
  const letters = [...new Set(terms.join(''))];
  const aligned = terms.map((t, k) => {
    const present = letters.filter((c) => t.includes(c));
    const moved = tf.transpose(operands[k], present.map((c) => t.indexOf(c)));
    return tf.reshape(moved, letters.map((c) => (t.includes(c) ? operands[k].shape[t.indexOf(c)] : 1)));
  });
  const product = aligned.slice(1).reduce((a, b) => tf.mul(a, b), aligned[0]);
  const dropped = letters.flatMap((c, i) => (out.includes(c) ? [] : [i]));
  const summed = dropped.length ? tf.sum(product, dropped) : product;
  const kept = letters.filter((c) => out.includes(c));
  return kept.length > 1 ? tf.transpose(summed, [...out].map((c) => kept.indexOf(c))) : summed;
}

/** Determinant of each trailing [M, M] matrix, by Gaussian elimination with partial pivoting on the host (in float64). */
function det(ctx: OpContext): Value[] {
  const x = asOnnx(input(ctx, 0));
  const m = x.shape[x.rank - 1]!;
  const data = x.dataSync() as Float32Array;
  const count = x.size / (m * m);
  const out = new Float32Array(count);
  for (let b = 0; b < count; b++) {
    const a = Array.from({ length: m }, (_, r) => Array.from(data.subarray(b * m * m + r * m, b * m * m + (r + 1) * m)));
    let d = 1;
    for (let col = 0; col < m && d !== 0; col++) {
      let pivot = col;
      for (let r = col + 1; r < m; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
      if (a[pivot][col] === 0) { d = 0; break; }
      if (pivot !== col) { [a[pivot], a[col]] = [a[col], a[pivot]]; d = -d; }
      d *= a[col][col];
      for (let r = col + 1; r < m; r++) {
        const f = a[r][col] / a[col][col];
        for (let k = col; k < m; k++) a[r][k] -= f * a[col][k];
      }
    }
    out[b] = d;
  }
  return [onnxValue(tf.tensor(out, x.shape.slice(0, -2), 'float32'))];
}

export const MATRIX_OPS: OpTable = {
  Det: { run: det },
  Trilu: { run: trilu },
  EyeLike: { run: eyeLike },
  Einsum: { run: einsum },
};
