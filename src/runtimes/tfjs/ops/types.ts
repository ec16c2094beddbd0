/** What an operator implementation sees, and the shape of the operator table. */
import type * as tf from '@tensorflow/tfjs-core';
import type { NodeIR } from '../../../onnx/ir.js';
import type { Value } from '../values.js';

export interface OpContext {
  readonly node: NodeIR;
  /** Opset of the default ONNX domain: some operators changed their inputs across opsets. */
  readonly opset: number;
  /** Inputs in node order; undefined where an optional input is omitted. */
  readonly inputs: (Value | undefined)[];
  /** What the operator's prepare() returned at session creation. */
  readonly prepared: unknown;
}

/** Session-creation services for prepare(): constants by name, and a way to keep derived weights alive. */
export interface PrepareContext {
  readonly node: NodeIR;
  readonly opset: number;
  constant(name: string): Value | undefined;
  /** Keep a tensor for the session's life; it is disposed with the session. */
  keep<T extends tf.Tensor>(t: T): T;
}

export interface OpImpl {
  /** Runs once at session creation, e.g. to transpose a conv kernel; its result reaches run() as ctx.prepared. */
  prepare?(ctx: PrepareContext): unknown;
  run(ctx: OpContext): Value[];
  /**
   * Inputs that run() no longer reads once prepare() returned `prepared` (a
   * conv's raw kernel, say): the importer then frees those weights unless
   * another node needs them, so a session holds one copy of each weight.
   */
  absorbs?(prepared: unknown): number[];
}

export type OpTable = Record<string, OpImpl>;

/** The input at `index`, failing with the node's name when a required one is missing. */
export function input(ctx: OpContext, index: number): Value {
  const v = ctx.inputs[index];
  if (!v) throw new Error(`tfjs: ${ctx.node.opType} node ${ctx.node.name}: input ${index} is required`);
  return v;
}
