/**
 * The shapes a graph builder deals in, apart from the builder itself, so
 * that serialising and lowering a built graph need not import the builder.
 */
import type { DType } from '../core/tensors.js';
import type { TensorSource } from './tensors.js';

export type Dim = number | string;

/** Forces a FLOAT / FLOATS attribute where the value would read as an integer. */
export interface FloatAttr { readonly kind: 'float'; readonly value: number }
export interface FloatsAttr { readonly kind: 'floats'; readonly value: number[] }
export const float = (value: number): FloatAttr => ({ kind: 'float', value });
export const floats = (value: number[]): FloatsAttr => ({ kind: 'floats', value });
/** Forces an INT / INTS attribute where the name would read as a float one (alpha, scale...). */
export interface IntAttr { readonly kind: 'int'; readonly value: number }
export interface IntsAttr { readonly kind: 'ints'; readonly value: number[] }
export const int = (value: number): IntAttr => ({ kind: 'int', value });
export const ints = (value: number[]): IntsAttr => ({ kind: 'ints', value });
/** A GRAPH attribute: the body of an If, Loop or Scan, built with a GraphBuilder of its own. */
export interface GraphAttr { readonly kind: 'graph'; readonly value: BuiltGraph }
export const graph = (value: BuiltGraph): GraphAttr => ({ kind: 'graph', value });

export type AttrInput = number | string | number[] | string[] | FloatAttr | FloatsAttr | IntAttr | IntsAttr | GraphAttr | TensorSource;

/** A graph input or output; `shape` absent leaves it undeclared, for the runtime to infer. */
export interface ValueSpec { name: string; dtype: DType; shape?: Dim[] }

export interface NodeSpec {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrInput>;
}

export interface NodeOptions {
  /** Node name; default `<opType>_<n>`. */
  name?: string;
  /** Output names; default one fresh name. A number asks for that many fresh outputs. */
  outputs?: string[] | number;
  /** Operator domain; default the ONNX domain (''). */
  domain?: string;
}

export interface SerializeOptions {
  /** Opset of the default domain; default 17. */
  opset?: number;
  /** IR version; default the lowest that the opset needs. */
  irVersion?: number;
  /** Other domains' opsets, e.g. { 'com.microsoft': 1 }. */
  extraOpsets?: Record<string, number>;
  producerVersion?: string;
  docString?: string;
}

export const DEFAULT_OPSET = 17;

/** IR version that introduced each opset (onnx/docs/Versioning.md). */
export function irVersionForOpset(opset: number): number {
  if (opset <= 8) return 3;
  if (opset <= 9) return 4;
  if (opset <= 10) return 5;
  if (opset <= 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

/** What serialising or lowering a graph reads from a GraphBuilder. */
export interface BuiltGraph {
  readonly name: string;
  readonly inputs: ValueSpec[];
  readonly outputs: ValueSpec[];
  readonly nodes: NodeSpec[];
  readonly initializers: Map<string, TensorSource>;
}
