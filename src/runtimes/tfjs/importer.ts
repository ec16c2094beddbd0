/**
 * Turns a GraphIR into a callable TensorFlow.js program. At creation it
 * checks every operator is mapped (naming all that are not), uploads the
 * weights once, evaluates everything that depends only on constants, and lets
 * operators prepare their weights (conv kernels transposed to HWIO). Each run
 * executes the remaining nodes in order, freeing every intermediate after its
 * last use so peak memory stays near that of the widest layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphIR, NodeIR } from '../../onnx/ir.js';
import { tensorFromHost } from './host.js';
import { fuseGraph } from './fuse.js';
import { checkKernelLimits } from './kernel-limits.js';
import { OPS } from './ops/index.js';
import type { OpImpl } from './ops/types.js';
import { asOnnx, constantValue, onnxValue, type Value } from './values.js';

export interface ImportOptions {
  /** 'nhwc': 4-D activations stay channels-last between ops; 'nchw': back to ONNX layout after every op. */
  layout: 'nhwc' | 'nchw';
  /** Fold BatchNormalization into Conv weights and Relu/Clip(0,6) into the conv kernel. */
  fuse: boolean;
}

interface Step {
  node: NodeIR;
  impl: OpImpl;
  prepared: unknown;
  /** Input positions that prepare() absorbed: run() gets undefined there. */
  absorbed: Set<number>;
  /** Values whose last reader is this step (or that nobody reads): freed right after it. */
  frees: string[];
}

const DEFAULT_DOMAINS = new Set(['', 'ai.onnx']);

/** Every operator of the graph that the importer cannot map, as "Foo" or "domain.Foo". */
export function unsupportedOperators(ir: GraphIR): string[] {
  const missing = new Set<string>();
  for (const n of ir.nodes) {
    if (!DEFAULT_DOMAINS.has(n.domain)) missing.add(`${n.domain}.${n.opType}`);
    else if (!Object.hasOwn(OPS, n.opType)) missing.add(n.opType);
  }
  return [...missing].sort();
}

export class ImportedGraph {
  private readonly constants = new Map<string, Value>();
  private kept: tf.Tensor[] = [];
  private readonly steps: Step[] = [];

  /** The graph's interface only: the host copies of the weights are not kept once uploaded. */
  private readonly ir: Pick<GraphIR, 'inputs' | 'outputs' | 'opset'>;

  constructor(ir: GraphIR, private readonly options: ImportOptions) {
    this.ir = { inputs: ir.inputs, outputs: ir.outputs, opset: ir.opset };
    const missing = unsupportedOperators(ir);
    if (missing.length > 0) {
      const what = missing.length === 1 ? `operator ${missing[0]}` : `operators ${missing.join(', ')}`;
      throw new Error(`tfjs cannot run ${what} (opset ${ir.opset}): not implemented. The TensorFlow.js importer maps the operators listed in docs/tfjs.md; `
        + 'run this model on ort-node or ort-web, or add the operator under src/runtimes/tfjs/ops/');
    }
    checkKernelLimits(ir);
    try {
      this.build(options.fuse ? fuseGraph(ir) : ir);
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  private keepConstant(name: string, v: Value): void {
    this.constants.set(name, v);
    this.kept.push(v.tensor);
  }

  private build(ir: GraphIR): void {
    for (const [name, host] of ir.initializers) this.keepConstant(name, { ...constantValue(tensorFromHost(host)), onnxDtype: host.dtype });
    for (const [name, host] of ir.stringInitializers ?? []) this.keepConstant(name, { ...constantValue(tensorFromHost(host)), onnxDtype: 'string' });
    const runtimeNodes: NodeIR[] = [];
    for (const node of ir.nodes) {
      const foldable = node.inputs.every((name) => name === '' || this.constants.has(name));
      if (!foldable) {
        runtimeNodes.push(node);
        continue;
      }
      // Computed from constants only: evaluate once now instead of on every run.
      const outs = tf.tidy(() => this.invoke(OPS[node.opType], node, undefined, (name) => this.constants.get(name)).map((v) => asOnnx(v)));
      node.outputs.forEach((name, k) => { if (name && outs[k]) this.keepConstant(name, constantValue(outs[k])); });
    }
    const lastUse = new Map<string, number>();
    runtimeNodes.forEach((node, i) => node.inputs.forEach((name) => { if (name) lastUse.set(name, i); }));
    const graphOutputs = new Set(ir.outputs.map((o) => o.name));
    const graphInputs = new Set(ir.inputs.map((i) => i.name));
    const frees: string[][] = runtimeNodes.map(() => []);
    runtimeNodes.forEach((node, i) => node.outputs.forEach((name) => {
      if (name && !graphOutputs.has(name) && !lastUse.has(name)) frees[i].push(name);
    }));
    for (const [name, i] of lastUse) {
      if (!graphOutputs.has(name) && !graphInputs.has(name) && !this.constants.has(name)) frees[i].push(name);
    }
    const keptByPrepare = new Set<tf.Tensor>();
    for (const [i, node] of runtimeNodes.entries()) {
      const impl = OPS[node.opType];
      const prepared = impl.prepare?.({
        node,
        opset: ir.opset,
        constant: (name) => this.constants.get(name),
        keep: (t) => { keptByPrepare.add(t); this.kept.push(tf.keep(t)); return t; },
      });
      const absorbed = new Set(prepared === undefined ? [] : impl.absorbs?.(prepared) ?? []);
      this.steps.push({ node, impl, prepared, absorbed, frees: frees[i] });
    }
    this.releaseAbsorbedWeights(ir, keptByPrepare);
  }

  /** Free the raw weights that every reader replaced by a prepared form (one copy of each weight, not two). */
  private releaseAbsorbedWeights(ir: GraphIR, keptByPrepare: Set<tf.Tensor>): void {
    const stillRead = new Set(ir.outputs.map((o) => o.name));
    for (const step of this.steps) step.node.inputs.forEach((name, k) => { if (name && !step.absorbed.has(k)) stillRead.add(name); });
    const released = new Set<tf.Tensor>();
    for (const [name, v] of this.constants) {
      if (stillRead.has(name) || keptByPrepare.has(v.tensor)) continue;
      this.constants.delete(name);
      released.add(v.tensor);
    }
    // A tensor may back several names (Identity of a weight): free it only if no remaining name holds it.
    for (const v of this.constants.values()) released.delete(v.tensor);
    for (const t of released) t.dispose();
    this.kept = this.kept.filter((t) => !released.has(t));
  }

  private invoke(impl: OpImpl, node: NodeIR, prepared: unknown, lookup: (name: string) => Value | undefined, absorbed?: Set<number>): Value[] {
    const inputs = node.inputs.map((name, k) => {
      if (name === '' || absorbed?.has(k)) return undefined;
      const v = lookup(name);
      if (!v) throw new Error(`tfjs: ${node.opType} node ${node.name}: input ${name} is not produced by any earlier node; is the graph topologically sorted?`);
      return v;
    });
    try {
      return impl.run({ node, opset: this.ir.opset, inputs, prepared });
    } catch (err) {
      const message = (err as Error).message;
      throw new Error(message.startsWith('tfjs:') ? message : `tfjs: ${node.opType} node ${node.name} failed: ${message}`);
    }
  }

  /** Run the graph on input tensors (ONNX layout); returns the outputs in ONNX layout, in graph order. */
  execute(feeds: Record<string, tf.Tensor>): tf.Tensor[] {
    return tf.tidy(() => {
      const env = new Map<string, Value>(this.constants);
      const refs = new Map<tf.Tensor, number>();
      const set = (name: string, v: Value) => {
        env.set(name, v);
        refs.set(v.tensor, (refs.get(v.tensor) ?? 0) + 1);
      };
      for (const info of this.ir.inputs) {
        const t = feeds[info.name];
        if (!t) throw new Error(`tfjs: input ${info.name} was not given; the model's inputs: ${this.ir.inputs.map((i) => i.name).join(', ')}`);
        env.set(info.name, { ...onnxValue(t), onnxDtype: info.dtype });
      }
      for (const step of this.steps) {
        let outs: Value[] = [];
        tf.tidy(() => {
          outs = this.invoke(step.impl, step.node, step.prepared, (name) => env.get(name), step.absorbed);
          if (this.options.layout === 'nchw') outs = outs.map((v) => (v.layout === 'nhwc' ? onnxValue(asOnnx(v)) : v));
          return outs.map((v) => v.tensor);
        });
        step.node.outputs.forEach((name, k) => { if (name && outs[k]) set(name, outs[k]); });
        for (const name of step.frees) {
          const v = env.get(name);
          if (!v) continue;
          env.delete(name);
          const left = (refs.get(v.tensor) ?? 1) - 1;
          refs.set(v.tensor, left);
          // Shared tensors (Identity passes its input through) are freed with their last name.
          if (left === 0 && !v.constant && !Object.values(feeds).includes(v.tensor)) v.tensor.dispose();
        }
      }
      return this.ir.outputs.map((o) => {
        const v = env.get(o.name);
        if (!v) throw new Error(`tfjs: graph output ${o.name} is not produced by any node`);
        const t = asOnnx(v);
        // Outputs belong to the caller, who disposes them: never hand out a weight or an input.
        return t === v.tensor && (v.constant || Object.values(feeds).includes(t)) ? tf.clone(t) : t;
      });
    });
  }

  dispose(): void {
    for (const t of new Set(this.kept)) t.dispose();
    for (const v of this.constants.values()) if (v.constant?.nhwc) v.constant.nhwc.dispose();
    this.kept.length = 0;
    this.constants.clear();
  }
}
