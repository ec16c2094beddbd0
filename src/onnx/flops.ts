/**
 * Counting the arithmetic of any ONNX model: shapes are inferred from the
 * graph inputs (symbolic dimensions bound from the trial's batch and
 * shapes), then each node is costed by src/onnx/op-costs.ts. An operator
 * that cannot be costed counts as zero and is listed, never thrown.
 */
import { InputError } from '../errors/input-error.js';
import type { TensorInfo } from '../core/tensors.js';
import type { GraphIR, NodeIR } from './ir.js';
import { COST_RULES } from './op-costs.js';
import { SHAPE_RULES } from './shape-rules.js';
import { stateOfTensor, type ValueState } from './shape-values.js';

export interface FlopBinding {
  /** Items per run: symbolic (or unknown) leading dimensions and dimensions named `batch` take this. */
  batch: number;
  /** Values of other symbolic dimensions, by name (e.g. sequence: 128). */
  dims?: Record<string, number>;
  /** Whole input shapes, by input name; they win over batch and dims. */
  shapes?: Record<string, number[]>;
}

export interface OpTypeCount {
  /** Nodes of this type. */
  count: number;
  /** Per item (per batch element). */
  macs: number;
  flops: number;
}

export interface FlopReport {
  /** Multiply-accumulates of convolutions, matrix products and fully connected layers, per item. */
  macsPerItem: number;
  /** 2 x MACs plus all elementwise work, per item. */
  flopsPerItem: number;
  byOpType: Record<string, OpTypeCount>;
  /** Operator types not counted (unknown, or shapes not inferable), e.g. "MyOp", "Conv (input shape unknown)". */
  uncounted: string[];
}

const BATCH_NAMES = new Set(['batch', 'batch_size', 'N', 'n']);

/** The concrete shape of a graph input for this binding; throws an InputError naming the missing dimension. */
export function bindInputShape(input: TensorInfo, bind: FlopBinding): number[] {
  const given = bind.shapes?.[input.name];
  if (given) return [...given];
  return input.shape.map((d, i) => {
    if (typeof d === 'number') return d;
    if (typeof d === 'string' && bind.dims?.[d] !== undefined) return bind.dims[d];
    if (i === 0 || (typeof d === 'string' && BATCH_NAMES.has(d))) return bind.batch;
    throw new InputError('dim', `input ${input.name}: dimension ${i} ${d === null ? 'has no size' : `is symbolic (${JSON.stringify(d)})`}; give its size with --dim ${d ?? input.name + '.' + i}=N (or a shape for the input)`);
  });
}

function addCount(byOpType: Record<string, OpTypeCount>, op: string, macs: number, flops: number): void {
  const entry = (byOpType[op] ??= { count: 0, macs: 0, flops: 0 });
  entry.count += 1;
  entry.macs += macs;
  entry.flops += flops;
}

function inferNode(node: NodeIR, states: Map<string, ValueState>, opset: number): { ins: (ValueState | undefined)[]; outs?: ValueState[]; problem?: string } {
  const ins = node.inputs.map((n) => (n ? states.get(n) : undefined));
  const missing = node.inputs.some((n, i) => n !== '' && ins[i] === undefined);
  const key = node.domain === '' || node.domain === 'ai.onnx' ? node.opType : `${node.domain}.${node.opType}`;
  const rule = SHAPE_RULES[key];
  if (!rule || !COST_RULES[key]) {
    // Unknown op: guess that it keeps the shape of its first input, so that later nodes can still be counted.
    const first = ins.find((s) => s !== undefined);
    return { ins, outs: first && node.outputs.length === 1 ? [{ shape: [...first.shape], dtype: first.dtype }] : undefined, problem: key };
  }
  if (missing) return { ins, problem: `${key} (input shape unknown)` };
  try {
    return { ins, outs: rule({ node, ins, opset }) };
  } catch {
    return { ins, problem: `${key} (shape not inferable)` };
  }
}

/** Shapes of every tensor whose shape could be inferred, for this binding. */
export function inferShapes(graph: GraphIR, bind: FlopBinding): Map<string, number[]> {
  return new Map([...walk(graph, bind).states].map(([k, v]) => [k, v.shape]));
}

export function countFlops(graph: GraphIR, bind: FlopBinding): FlopReport {
  return walk(graph, bind).report;
}

function walk(graph: GraphIR, bind: FlopBinding): { report: FlopReport; states: Map<string, ValueState> } {
  if (!Number.isInteger(bind.batch) || bind.batch < 1) throw new InputError('batch', `batch: ${bind.batch} is not valid; allowed: an integer >= 1`);
  const states = new Map<string, ValueState>();
  for (const [name, t] of graph.initializers) states.set(name, stateOfTensor(t));
  for (const input of graph.inputs) states.set(input.name, { shape: bindInputShape(input, bind), dtype: input.dtype === 'string' ? undefined : input.dtype });

  const byOpType: Record<string, OpTypeCount> = {};
  const uncounted = new Set<string>();
  let macs = 0;
  let flops = 0;
  for (const node of graph.nodes) {
    const { ins, outs, problem } = inferNode(node, states, graph.opset);
    if (outs) node.outputs.forEach((o, i) => { if (o && outs[i]) states.set(o, outs[i]); });
    if (problem || !outs) {
      uncounted.add(problem ?? node.opType);
      addCount(byOpType, node.opType, 0, 0);
      continue;
    }
    const cost = COST_RULES[node.domain === '' || node.domain === 'ai.onnx' ? node.opType : `${node.domain}.${node.opType}`](node, ins, outs);
    macs += cost.macs;
    flops += cost.flops;
    addCount(byOpType, node.opType, cost.macs / bind.batch, cost.flops / bind.batch);
  }
  return {
    report: { macsPerItem: macs / bind.batch, flopsPerItem: flops / bind.batch, byOpType, uncounted: [...uncounted].sort() },
    states,
  };
}
