/** The graph IR the importers read: nodes, attributes, initializers and shapes, free of protobuf types. */
import type { HostTensor, StringTensor, TensorInfo } from '../core/tensors.js';

export type AttrValue = number | string | number[] | string[] | HostTensor | StringTensor | GraphIR;

export interface NodeIR {
  name: string;
  opType: string;
  domain: string;
  /** Input names; an empty string marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface GraphIR {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  initializers: Map<string, HostTensor>;
  /** String initializers, kept apart: only a graph read with { strings: true } has any. */
  stringInitializers?: Map<string, StringTensor>;
  nodes: NodeIR[];
  /** Opset version of the default domain. */
  opset: number;
  /** Shapes known from value_info, by tensor name. */
  valueInfo: Map<string, TensorInfo>;
}
