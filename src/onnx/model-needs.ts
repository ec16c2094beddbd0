/**
 * What a model asks of a runtime, read from the ONNX protobuf itself (not
 * the GraphIR, which refuses types infermark's tensors cannot carry): every
 * operator with its domain's opset, subgraphs of If/Loop/Scan included, and
 * the kind and element type of every graph input and output.
 */
import type { GraphProto, ModelProto } from './read.js';
import { elementTypeOf } from './read.js';

export interface OperatorNeed {
  domain: string;
  opType: string;
  /** The opset the model imports for the operator's domain. */
  opset: number;
  count: number;
}

export type ValueKind = 'tensor' | 'sequence' | 'optional' | 'map' | 'sparse' | 'unknown';

export interface ValueNeed {
  name: string;
  role: 'input' | 'output';
  kind: ValueKind;
  /** ONNX element type name (float, uint16, bfloat16, string, ...) for a tensor. */
  elemType?: string;
  /** Whether infermark's host tensors can carry this value at all. */
  carried: boolean;
}

export interface ModelNeeds {
  opsets: Record<string, number>;
  operators: OperatorNeed[];
  values: ValueNeed[];
}

/** ONNX TensorProto.DataType names, by number. */
const ELEM_NAMES: Record<number, string> = {
  1: 'float', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'double', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
  17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2', 20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4', 23: 'float4e2m1',
};

export function elemTypeName(elemType: number): string {
  return ELEM_NAMES[elemType] ?? `element type ${elemType}`;
}

function hostCarries(elemType: number): boolean {
  try {
    elementTypeOf(elemType);
    return true;
  } catch {
    return false;
  }
}

function normalDomain(domain: string | null | undefined): string {
  return domain === 'ai.onnx' ? '' : domain ?? '';
}

function walk(graph: GraphProto, opsets: Record<string, number>, found: Map<string, OperatorNeed>): void {
  for (const node of graph.node ?? []) {
    const domain = normalDomain(node.domain);
    const opType = node.opType ?? '';
    const key = `${domain}\u0000${opType}`;
    const seen = found.get(key);
    if (seen) seen.count += 1;
    else found.set(key, { domain, opType, opset: opsets[domain] ?? 0, count: 1 });
    for (const a of node.attribute ?? []) {
      if (a.g) walk(a.g, opsets, found);
      for (const g of a.graphs ?? []) walk(g, opsets, found);
    }
  }
}

type ValueInfo = NonNullable<GraphProto['input']>[number];

function valueNeed(v: ValueInfo, role: ValueNeed['role']): ValueNeed {
  const name = v.name ?? '';
  const t = v.type;
  if (t?.tensorType) {
    const elem = Number(t.tensorType.elemType ?? 0);
    return { name, role, kind: 'tensor', elemType: elemTypeName(elem), carried: hostCarries(elem) };
  }
  const kind: ValueKind = t?.sequenceType ? 'sequence' : t?.optionalType ? 'optional' : t?.mapType ? 'map' : t?.sparseTensorType ? 'sparse' : 'unknown';
  return { name, role, kind, carried: false };
}

export function modelNeeds(model: ModelProto): ModelNeeds {
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport ?? []) opsets[normalDomain(o.domain)] = Number(o.version ?? 0);
  const graph = model.graph ?? {};
  const found = new Map<string, OperatorNeed>();
  walk(graph, opsets, found);
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const values = [
    ...(graph.input ?? []).filter((v) => !initializers.has(v.name)).map((v) => valueNeed(v, 'input')),
    ...(graph.output ?? []).map((v) => valueNeed(v, 'output')),
  ];
  const operators = [...found.values()].sort((a, b) => a.domain.localeCompare(b.domain) || a.opType.localeCompare(b.opType));
  return { opsets, operators, values };
}

/** "Foo" in the default domain, "com.microsoft.Foo" elsewhere. */
export function operatorLabel(op: Pick<OperatorNeed, 'domain' | 'opType'>): string {
  return op.domain ? `${op.domain}.${op.opType}` : op.opType;
}

/** A model's input and output values that `refusal` (e.g. a runtime's valueRefusal) refuses: the reasons, in order. */
export function refusedValues(needs: ModelNeeds, refusal: (role: ValueNeed['role'], name: string, elemType: string) => string | null): string[] {
  return needs.values.flatMap((v) => {
    if (v.kind !== 'tensor' || !v.carried || !v.elemType) return [];
    const why = refusal(v.role, v.name, v.elemType);
    return why ? [why] : [];
  });
}
