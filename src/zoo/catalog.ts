/**
 * What the zoo holds, with each model's parameter count and MACs per item.
 * Both are computed from the graph spec (no weights are generated), once per
 * process, on first use.
 */
import type { TensorInfo } from '../runtimes/runtime.js';
import { countFlops } from '../onnx/flops.js';
import { DEFAULT_SEED, DEFAULT_ZOO_OPSET } from './build-options.js';
import { ZOO } from './definitions.js';
import { resolveBuildOptions } from './build.js';

export interface ZooEntry {
  name: string;
  family: string;
  description: string;
  /** Learnable parameters, counted as PyTorch does (batch-norm running statistics excluded). */
  params: number;
  /** Multiply-accumulates per item (one image, one sequence at the default length). */
  macs: number;
  /** With the default options: dynamic batch named `batch`, default sequence length. */
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Part of the cache key: bumped when the graph or weights change. */
  archVersion: number;
  /** Text models: the default sequence length. */
  seq?: number;
}

let cached: ZooEntry[] | undefined;

export function listZoo(): ZooEntry[] {
  cached ??= ZOO.map((def) => {
    const opts = resolveBuildOptions(def, { seed: DEFAULT_SEED, opset: DEFAULT_ZOO_OPSET });
    const zb = def.build(opts);
    const ir = zb.g.toGraphIR({ opset: opts.opset });
    return {
      name: def.name,
      family: def.family,
      description: def.description,
      params: zb.params,
      macs: countFlops(ir, { batch: 1 }).macsPerItem,
      inputs: ir.inputs,
      outputs: ir.outputs,
      archVersion: def.archVersion,
      ...(opts.seq !== undefined ? { seq: opts.seq } : {}),
    };
  });
  return cached.map((e) => ({ ...e, inputs: e.inputs.map((i) => ({ ...i, shape: [...i.shape] })), outputs: e.outputs.map((o) => ({ ...o, shape: [...o.shape] })) }));
}

export { zooNames } from './build.js';
