/**
 * Graph rewrites that make the imported program cheaper without changing its
 * results beyond float rounding, done on host weights before upload:
 *  - BatchNormalization right after a Conv is folded into the conv's kernel
 *    and bias (one op and one pass over the activation fewer per layer);
 *  - Relu or Clip(0, 6) right after a Conv becomes the conv kernel's fused
 *    activation (tfjs's fused conv applies it while writing the output).
 * A rewrite applies only when the intermediate value has no other reader and
 * is not a graph output.
 */
import type { GraphIR, NodeIR } from '../../onnx/ir.js';
import type { HostTensor } from '../runtime.js';
import { FUSED_ACTIVATION_ATTR } from './ops/conv.js';

function scalarOf(name: string | undefined, ir: GraphIR, producers: Map<string, NodeIR>): number | undefined {
  if (!name) return undefined;
  const host = ir.initializers.get(name) ?? producers.get(name)?.attrs.value;
  if (producers.get(name) && producers.get(name)!.opType !== 'Constant') return undefined;
  if (!host || typeof host !== 'object' || !('data' in host) || host.data.length !== 1) return undefined;
  return Number(host.data[0]);
}

function floatHost(ir: GraphIR, name: string | undefined): Float32Array | undefined {
  const t = name ? ir.initializers.get(name) : undefined;
  return t && t.dtype === 'float32' ? (t.data as Float32Array) : undefined;
}

/** The activation a node applies, if it is one a conv kernel can fuse. */
function fusableActivation(node: NodeIR, ir: GraphIR, producers: Map<string, NodeIR>): 'relu' | 'relu6' | undefined {
  if (node.opType === 'Relu') return 'relu';
  if (node.opType !== 'Clip') return undefined;
  const [lo, hi] = ir.opset < 11
    ? [node.attrs.min, node.attrs.max]
    : [scalarOf(node.inputs[1], ir, producers), scalarOf(node.inputs[2], ir, producers)];
  if (lo === 0 && hi === 6) return 'relu6';
  if (lo === 0 && hi === undefined && (ir.opset < 11 ? node.attrs.max === undefined : !node.inputs[2])) return 'relu';
  return undefined;
}

/** Conv + BatchNormalization as one conv: W'[m] = W[m] * s[m], b' = b * s + (beta - mean * s), s = gamma / sqrt(var + eps). */
function foldBatchNorm(conv: NodeIR, bn: NodeIR, ir: GraphIR, initializers: Map<string, HostTensor>): NodeIR | undefined {
  const w = ir.initializers.get(conv.inputs[1]);
  const params = bn.inputs.slice(1, 5).map((n) => floatHost(ir, n));
  const bias = conv.inputs[2] ? floatHost(ir, conv.inputs[2]) : new Float32Array(w?.shape[0] ?? 0);
  if (!w || w.dtype !== 'float32' || params.some((p) => !p) || !bias || bn.outputs.slice(1).some((o) => o)) return undefined;
  const [gamma, beta, mean, variance] = params as Float32Array[];
  const eps = typeof bn.attrs.epsilon === 'number' ? bn.attrs.epsilon : 1e-5;
  const m = w.shape[0];
  const perOut = (w.data as Float32Array).length / m;
  // Fold only when every declared size matches the data held; anything else is left to the ops, which say what is wrong.
  if (!(m > 0) || !Number.isInteger(perOut) || !Number.isFinite(eps)
    || [gamma, beta, mean, variance, bias].some((p) => p.length !== m)) return undefined;
  const kernel = new Float32Array(w.data as Float32Array);
  const newBias = new Float32Array(m);
  for (let o = 0; o < m; o++) {
    const s = gamma[o] / Math.sqrt(variance[o] + eps);
    for (let i = o * perOut; i < (o + 1) * perOut; i++) kernel[i] *= s;
    newBias[o] = bias[o] * s + beta[o] - mean[o] * s;
  }
  const wName = `${conv.inputs[1]}::bn_folded::${conv.name}`;
  const bName = `${conv.inputs[2] || conv.inputs[1]}::bn_bias::${conv.name}`;
  initializers.set(wName, { dtype: 'float32', shape: [...w.shape], data: kernel });
  initializers.set(bName, { dtype: 'float32', shape: [m], data: newBias });
  return { ...conv, inputs: [conv.inputs[0], wName, bName], outputs: [bn.outputs[0]] };
}

export function fuseGraph(ir: GraphIR): GraphIR {
  const readers = new Map<string, number>();
  for (const n of ir.nodes) for (const i of n.inputs) if (i) readers.set(i, (readers.get(i) ?? 0) + 1);
  for (const o of ir.outputs) readers.set(o.name, (readers.get(o.name) ?? 0) + 2);
  const producers = new Map<string, NodeIR>();
  for (const n of ir.nodes) for (const o of n.outputs) if (o) producers.set(o, n);
  const consumers = new Map<string, NodeIR>();
  for (const n of ir.nodes) for (const i of n.inputs) if (i && readers.get(i) === 1) consumers.set(i, n);
  /** The one node reading `name` as its first input, if nothing else reads it. */
  const soleConsumer = (name: string) => {
    const c = consumers.get(name);
    return c && c.inputs[0] === name ? c : undefined;
  };

  const initializers = new Map(ir.initializers);
  const absorbed = new Set<NodeIR>();
  const nodes: NodeIR[] = [];
  for (const node of ir.nodes) {
    if (absorbed.has(node)) continue;
    let conv = node;
    if (conv.opType === 'Conv' && ir.initializers.has(conv.inputs[1])) {
      let next = soleConsumer(conv.outputs[0]);
      if (next?.opType === 'BatchNormalization') {
        const folded = foldBatchNorm(conv, next, { ...ir, initializers }, initializers);
        if (folded) {
          absorbed.add(next);
          conv = folded;
          next = soleConsumer(conv.outputs[0]);
        }
      }
      const activation = next ? fusableActivation(next, ir, producers) : undefined;
      if (activation && next) {
        absorbed.add(next);
        conv = { ...conv, outputs: [next.outputs[0]], attrs: { ...conv.attrs, [FUSED_ACTIVATION_ATTR]: activation } };
      }
    }
    nodes.push(conv);
  }
  // Kernels replaced by folded copies would otherwise be uploaded for nothing.
  const used = new Set([...nodes.flatMap((n) => n.inputs), ...ir.outputs.map((o) => o.name)]);
  for (const name of [...initializers.keys()]) if (!used.has(name)) initializers.delete(name);
  return { ...ir, nodes, initializers };
}
