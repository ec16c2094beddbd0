/**
 * Small ONNX graphs for the runtimes' op tests, written as plain specs
 * (nodes with named outputs, inputs, initializers, outputs whose shapes are
 * left for the runtimes to infer) and built with src/onnx/builder.ts.
 */
import { GraphBuilder, type AttrInput } from '../../src/onnx/builder.js';
import type { DType, HostTensor } from '../../src/runtimes/runtime.js';

export interface SpecNode<A> {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, A>;
  domain?: string;
}

export interface SpecGraph<A> {
  nodes: SpecNode<A>[];
  /** Graph inputs: name, dtype, shape (numbers or symbolic names). */
  inputs: { name: string; dtype: DType; shape: (number | string)[] }[];
  initializers?: Record<string, HostTensor>;
  /** Output shapes are left undeclared; the runtimes infer them. */
  outputs: { name: string; dtype: DType }[];
  opset?: number;
}

/** Turns a spec's attribute into the builder's; `sub` builds a subgraph (If/Loop bodies) that may read this graph's values. */
export type ToAttr<A> = (value: A, sub: (spec: SpecGraph<A>) => GraphBuilder) => AttrInput;

/**
 * The spec as a builder's graph. In a subgraph (`outer` given), a node input
 * defined by none of its own values is read from the enclosing graphs.
 */
export function buildSpec<A>(spec: SpecGraph<A>, toAttr: ToAttr<A>, name = 'test', outer?: Set<string>): GraphBuilder {
  const g = new GraphBuilder(name);
  for (const i of spec.inputs) g.input(i.name, i.dtype, i.shape);
  for (const [k, t] of Object.entries(spec.initializers ?? {})) g.initializer(k, t);
  const visible = new Set([...(outer ?? []), ...spec.inputs.map((i) => i.name), ...Object.keys(spec.initializers ?? {})]);
  spec.nodes.forEach((n, i) => {
    if (outer) for (const input of n.inputs) if (input !== '' && !g.has(input)) g.outer(input);
    const sub = (body: SpecGraph<A>) => buildSpec(body, toAttr, 'g', visible);
    const attrs = Object.fromEntries(Object.entries(n.attrs ?? {}).map(([k, v]) => [k, toAttr(v, sub)]));
    g.nodeOutputs(n.op, n.inputs, attrs, { name: `${n.op}_${i}`, outputs: n.outputs, ...(n.domain ? { domain: n.domain } : {}) });
    for (const o of n.outputs) visible.add(o);
  });
  for (const o of spec.outputs) g.output(o.name, o.dtype);
  return g;
}

/** The model's bytes: IR version 8 and opset 17 unless the spec names another. */
export function specModelBytes<A>(spec: SpecGraph<A>, toAttr: ToAttr<A>): Uint8Array {
  return buildSpec(spec, toAttr).toBytes({ opset: spec.opset ?? 17, irVersion: 8 });
}
