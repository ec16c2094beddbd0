/** Reading decoded ONNX attributes with their defaults, failing with the node's name when a type is wrong. */
import type { AttrValue, NodeIR } from '../../onnx/ir.js';
import type { HostTensor } from '../runtime.js';

function wrongType(node: NodeIR, name: string, want: string, got: AttrValue): Error {
  return new Error(`tfjs: ${node.opType} node ${node.name}: attribute ${name} should be ${want}, got ${JSON.stringify(got)}`);
}

export function intAttr(node: NodeIR, name: string, fallback: number): number {
  const v = node.attrs[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number') throw wrongType(node, name, 'an int', v);
  return v;
}

export function floatAttr(node: NodeIR, name: string, fallback: number): number {
  return intAttr(node, name, fallback);
}

export function intsAttr(node: NodeIR, name: string): number[] | undefined;
export function intsAttr(node: NodeIR, name: string, fallback: number[]): number[];
export function intsAttr(node: NodeIR, name: string, fallback?: number[]): number[] | undefined {
  const v = node.attrs[name];
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw wrongType(node, name, 'a list of ints', v);
  return v as number[];
}

export function stringAttr(node: NodeIR, name: string, fallback: string): string {
  const v = node.attrs[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw wrongType(node, name, 'a string', v);
  return v;
}

export function tensorAttr(node: NodeIR, name: string): HostTensor | undefined {
  const v = node.attrs[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || !('data' in v) || v.dtype === 'string') throw wrongType(node, name, 'a numeric tensor', v);
  return v;
}
