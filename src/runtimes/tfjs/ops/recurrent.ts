/**
 * RNN, GRU and LSTM, unrolled over the sequence with tfjs matrix products:
 * forward, reverse and bidirectional, both layouts, optional biases, initial
 * states and LSTM peepholes, clip, and GRU's linear_before_reset. Per-item
 * sequence lengths shorter than the sequence are refused (not expressible
 * as one unrolled loop without masking every step).
 */
import * as tf from '@tensorflow/tfjs-core';
import { floatAttr, intAttr, stringAttr } from '../attrs.js';
import { asOnnx, intsOf, onnxValue, type Value } from '../values.js';
import { input, type OpContext, type OpTable } from './types.js';

type Act = (x: tf.Tensor) => tf.Tensor;

const ACTIVATIONS: Record<string, Act> = {
  Sigmoid: (x) => tf.sigmoid(x), Tanh: (x) => tf.tanh(x), Relu: (x) => tf.relu(x),
  Softsign: (x) => tf.div(x, tf.add(1, tf.abs(x))), Softplus: (x) => tf.softplus(x),
};

const DEFAULT_ACTS: Record<string, string[]> = { RNN: ['Tanh'], GRU: ['Sigmoid', 'Tanh'], LSTM: ['Sigmoid', 'Tanh', 'Tanh'] };

interface Cell {
  /** One step: input projection x W^T + biases already added; returns new hidden (and cell) states. */
  step(xw: tf.Tensor, h: tf.Tensor, c: tf.Tensor | undefined): { h: tf.Tensor; c?: tf.Tensor };
}

function activationsOf(ctx: OpContext, dirs: number): Act[][] {
  const { node } = ctx;
  const per = DEFAULT_ACTS[node.opType].length;
  const names = (node.attrs.activations as string[] | undefined) ?? Array.from({ length: dirs }, () => DEFAULT_ACTS[node.opType]).flat();
  if (node.attrs.activation_alpha !== undefined || node.attrs.activation_beta !== undefined) {
    throw new Error(`tfjs cannot run operator ${node.opType} (opset ${ctx.opset}) with activation_alpha/activation_beta: not implemented`);
  }
  return Array.from({ length: dirs }, (_, d) => names.slice(d * per, (d + 1) * per).map((n) => {
    const fn = ACTIVATIONS[n];
    if (!fn) throw new Error(`tfjs cannot run operator ${node.opType} (opset ${ctx.opset}) with activation ${n}: not implemented`);
    return fn;
  }));
}

function cellOf(ctx: OpContext, acts: Act[], r: tf.Tensor, rb: tf.Tensor, p: tf.Tensor | undefined): Cell {
  const clip = ctx.node.attrs.clip === undefined ? undefined : floatAttr(ctx.node, 'clip', 0);
  const cl = (x: tf.Tensor) => (clip === undefined ? x : tf.clipByValue(x, -clip, clip));
  const rT = tf.transpose(r);
  if (ctx.node.opType === 'RNN') {
    return { step: (xw, h) => ({ h: acts[0](cl(tf.add(xw, tf.add(tf.matMul(h, rT), rb)))) }) };
  }
  if (ctx.node.opType === 'GRU') {
    const linearBeforeReset = intAttr(ctx.node, 'linear_before_reset', 0) === 1;
    const [rz, rr, rh] = tf.split(rT, 3, 1);
    const [bz, br, bh] = tf.split(rb, 3, 0);
    return {
      step: (xw, h) => {
        const [xz, xr, xh] = tf.split(xw, 3, 1);
        const z = acts[0](cl(tf.add(xz, tf.add(tf.matMul(h, rz), bz))));
        const rg = acts[0](cl(tf.add(xr, tf.add(tf.matMul(h, rr), br))));
        const hh = linearBeforeReset
          ? acts[1](cl(tf.add(xh, tf.mul(rg, tf.add(tf.matMul(h, rh), bh)))))
          : acts[1](cl(tf.add(xh, tf.add(tf.matMul(tf.mul(rg, h), rh), bh))));
        return { h: tf.add(tf.mul(tf.sub(1, z), hh), tf.mul(z, h)) };
      },
    };
  }
  if (intAttr(ctx.node, 'input_forget', 0) !== 0) throw new Error(`tfjs cannot run operator LSTM (opset ${ctx.opset}) with input_forget: not implemented`);
  const [pi, po, pf] = p ? tf.split(p, 3, 0) : [undefined, undefined, undefined];
  return {
    step: (xw, h, c) => {
      const [gi, go, gf, gc] = tf.split(tf.add(xw, tf.add(tf.matMul(h, rT), rb)), 4, 1);
      const i = acts[0](cl(pi ? tf.add(gi, tf.mul(pi, c!)) : gi));
      const f = acts[0](cl(pf ? tf.add(gf, tf.mul(pf, c!)) : gf));
      const cNew = tf.add(tf.mul(f, c!), tf.mul(i, acts[1](cl(gc))));
      const o = acts[0](cl(po ? tf.add(go, tf.mul(po, cNew)) : go));
      return { h: tf.mul(o, acts[2](cNew)), c: cNew };
    },
  };
}

function recurrent(ctx: OpContext): Value[] {
  const { node } = ctx;
  const layout = intAttr(node, 'layout', 0);
  let x = asOnnx(input(ctx, 0));
  if (layout === 1) x = tf.transpose(x, [1, 0, 2]);
  const [seq, batch] = x.shape;
  const w = asOnnx(input(ctx, 1));
  const r = asOnnx(input(ctx, 2));
  const dirs = w.shape[0];
  const gates = DEFAULT_ACTS[node.opType].length === 1 ? 1 : node.opType === 'GRU' ? 3 : 4;
  const hidden = intAttr(node, 'hidden_size', r.shape[2]!);
  const direction = stringAttr(node, 'direction', 'forward');
  if (ctx.inputs[4] && intsOf(ctx.inputs[4]).some((l) => l !== seq)) {
    throw new Error(`tfjs cannot run operator ${node.opType} (opset ${ctx.opset}) with per-item sequence_lens shorter than the sequence: not implemented`);
  }
  const acts = activationsOf(ctx, dirs);
  const isLstm = node.opType === 'LSTM';
  const ys: tf.Tensor[] = [];
  const hs: tf.Tensor[] = [];
  const cs: tf.Tensor[] = [];
  for (let d = 0; d < dirs; d++) {
    const reverse = direction === 'reverse' || (direction === 'bidirectional' && d === 1);
    const wd = tf.squeeze(tf.slice(w, [d, 0, 0], [1, -1, -1]), [0]);
    const rd = tf.squeeze(tf.slice(r, [d, 0, 0], [1, -1, -1]), [0]);
    const b = ctx.inputs[3] ? tf.squeeze(tf.slice(asOnnx(ctx.inputs[3]), [d, 0], [1, -1]), [0]) : tf.zeros([2 * gates * hidden]);
    const [wb, rb] = tf.split(b, 2, 0);
    const p = isLstm && ctx.inputs[7] ? tf.squeeze(tf.slice(asOnnx(ctx.inputs[7]), [d, 0], [1, -1]), [0]) : undefined;
    const cell = cellOf(ctx, acts[d], rd, rb, p);
    const initial = (k: number) => (ctx.inputs[k] ? tf.squeeze(tf.slice(asOnnx(ctx.inputs[k]!), [d, 0, 0], [1, -1, -1]), [0]) : tf.zeros([batch, hidden]));
    let h = initial(5);
    let c = isLstm ? initial(6) : undefined;
    // Every step's input projection at once: [seq * batch, I] x [I, G*H].
    const xw = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [seq * batch, -1]), tf.transpose(wd)), wb), [seq, batch, -1]);
    const steps: tf.Tensor[] = new Array(seq);
    for (let k = 0; k < seq; k++) {
      const t = reverse ? seq - 1 - k : k;
      const next = cell.step(tf.squeeze(tf.slice(xw, [t, 0, 0], [1, -1, -1]), [0]), h, c);
      h = next.h;
      c = next.c;
      steps[t] = h;
    }
    ys.push(tf.stack(steps));
    hs.push(h);
    if (c) cs.push(c);
  }
  let y = tf.stack(ys, 1);
  let yh = tf.stack(hs);
  let yc = isLstm ? tf.stack(cs) : undefined;
  if (layout === 1) {
    y = tf.transpose(y, [2, 0, 1, 3]);
    yh = tf.transpose(yh, [1, 0, 2]);
    if (yc) yc = tf.transpose(yc, [1, 0, 2]);
  }
  return [onnxValue(y), onnxValue(yh), ...(yc ? [onnxValue(yc)] : [])];
}

export const RECURRENT_OPS: OpTable = {
  RNN: { run: recurrent },
  GRU: { run: recurrent },
  LSTM: { run: recurrent },
};
