/**
 * MatMul (numpy semantics: 1-D operands, broadcast batch dimensions) and
 * Gemm. A batched activation times a 2-D weight, the shape of every dense
 * layer in BERT, runs as one 2-D product on the flattened rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import { floatAttr, intAttr } from '../attrs.js';
import { asOnnx, onnxValue, type Value } from '../values.js';
import { broadcastShapes } from './shape.js';
import { input, type OpContext, type OpTable, type PrepareContext } from './types.js';

export function matMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.rank === 1 && b.rank === 1) return tf.sum(tf.mul(a, b));
  if (a.rank === 1) {
    const y = matMul(tf.expandDims(a, 0), b);
    return tf.squeeze(y, [y.rank - 2]);
  }
  if (b.rank === 1) return tf.squeeze(matMul(a, tf.expandDims(b, 1)), [a.rank - 1]);
  if (b.rank === 2) {
    if (a.rank === 2) return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
    const k = a.shape[a.rank - 1]!;
    const rows = tf.reshape(a, [-1, k]) as tf.Tensor2D;
    return tf.reshape(tf.matMul(rows, b as tf.Tensor2D), [...a.shape.slice(0, -1), b.shape[1]!]);
  }
  // Broadcast the batch dimensions explicitly: tfjs's own batch broadcasting is not reliable across backends.
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.rank - 1]!;
  const flat = (t: tf.Tensor, rows: number, cols: number) => {
    const same = t.rank === batch.length + 2 && t.shape.slice(0, -2).every((d, i) => d === batch[i]);
    const full = same ? t : tf.broadcastTo(tf.reshape(t, [...Array(batch.length + 2 - t.rank).fill(1), ...t.shape]), [...batch, rows, cols]);
    return tf.reshape(full, [-1, rows, cols]) as tf.Tensor3D;
  };
  return tf.reshape(tf.matMul(flat(a, m, k), flat(b, k, n)), [...batch, m, n]);
}

interface GemmWeights {
  /** B in [K, N] order. */
  b?: tf.Tensor2D;
  /** C as a fresh 1-D tensor when it is a constant row vector. */
  bias?: tf.Tensor1D;
}

/**
 * A constant B is transposed once, at session creation; tfjs's own transpose
 * flags are avoided because the wasm backend's fused product gives wrong
 * results with transposeB (tfjs 4.22). A constant [1, N] bias is copied to a
 * real 1-D tensor: wasm's fused kernel checks the shape of the underlying
 * data, which a reshape does not change.
 */
function prepareGemm(ctx: PrepareContext): GemmWeights {
  const out: GemmWeights = {};
  const b = ctx.constant(ctx.node.inputs[1]);
  if (b) out.b = ctx.keep((intAttr(ctx.node, 'transB', 0) === 1 ? tf.transpose(b.tensor) : b.tensor) as tf.Tensor2D);
  const c = ctx.node.inputs[2] ? ctx.constant(ctx.node.inputs[2]) : undefined;
  // A row vector (one value per output column, [N] or [1, N]) rides in the fused kernel; other shapes broadcast with a plain add.
  const columns = out.b?.shape[1];
  const rowVector = c && columns !== undefined && c.tensor.size === columns && (c.tensor.rank === 1 || (c.tensor.rank === 2 && c.tensor.shape[0] === 1));
  if (rowVector) out.bias = ctx.keep(tf.tensor1d(c.tensor.dataSync() as Float32Array));
  return out;
}

function gemm(ctx: OpContext): Value[] {
  const { node } = ctx;
  const prepared = ctx.prepared as GemmWeights;
  let a = asOnnx(input(ctx, 0)) as tf.Tensor2D;
  if (intAttr(node, 'transA', 0) === 1) a = tf.transpose(a);
  let b = prepared.b;
  if (!b) {
    b = asOnnx(input(ctx, 1)) as tf.Tensor2D;
    if (intAttr(node, 'transB', 0) === 1) b = tf.transpose(b);
  }
  const alpha = floatAttr(node, 'alpha', 1);
  const beta = floatAttr(node, 'beta', 1);
  const c = ctx.inputs[2] ? asOnnx(ctx.inputs[2]) : undefined;
  const bias = prepared.bias ?? (c?.rank === 1 && c.size === b.shape[1] ? (c as tf.Tensor1D) : undefined);
  if (alpha === 1 && (!c || (beta === 1 && bias))) {
    // The fused product adds the row-vector bias in the same kernel.
    return [onnxValue(tf.fused.matMul({ a, b, bias: c ? bias : undefined }))];
  }
  let y: tf.Tensor = tf.matMul(a, b);
  if (alpha !== 1) y = tf.mul(y, alpha);
  if (c && beta !== 0) y = tf.add(y, beta === 1 ? c : tf.mul(c, beta));
  return [onnxValue(y)];
}

export const MATMUL_OPS: OpTable = {
  MatMul: { run: (ctx) => [onnxValue(matMul(asOnnx(input(ctx, 0)), asOnnx(input(ctx, 1))))] },
  Gemm: { prepare: prepareGemm, run: gemm, absorbs: (prepared) => ((prepared as GemmWeights).b ? [1] : []) },
};
