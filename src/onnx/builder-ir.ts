/** The GraphIR of a builder's graph, made without serialising it (the FLOP counter reads this). */
import type { DType, HostTensor, TensorInfo } from '../core/tensors.js';
import type { AttrInput, BuiltGraph, ValueSpec } from './builder-types.js';
import type { AttrValue, GraphIR } from './ir.js';
import { asHostTensor, type TensorSource } from './tensors.js';

function attrToIR(value: AttrInput, opset: number): AttrValue {
  if (typeof value === 'object' && !Array.isArray(value)) {
    if ('kind' in value) return value.kind === 'graph' ? toGraphIRFromBuilder(value.value, opset) : value.value;
    return asHostTensor(value as TensorSource);
  }
  return value;
}

// An undeclared shape is unknown to the IR as well: no dimensions to go by.
const info = (v: ValueSpec): TensorInfo => ({ name: v.name, dtype: v.dtype as DType, shape: [...(v.shape ?? [])] });

export function toGraphIRFromBuilder(g: BuiltGraph, opset: number): GraphIR {
  const initializers = new Map<string, HostTensor>();
  for (const [name, t] of g.initializers) initializers.set(name, asHostTensor(t));
  return {
    inputs: g.inputs.map(info),
    outputs: g.outputs.map(info),
    initializers,
    nodes: g.nodes.map((n) => ({
      name: n.name,
      opType: n.opType,
      domain: n.domain,
      inputs: [...n.inputs],
      outputs: [...n.outputs],
      attrs: Object.fromEntries(Object.entries(n.attrs).map(([k, v]) => [k, attrToIR(v, opset)])),
    })),
    opset,
    valueInfo: new Map(),
  };
}
