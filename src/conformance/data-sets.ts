/**
 * Reading one case's test data: the graph's interface from model.onnx, and
 * each test_data_set_N folder's input_K.pb / output_K.pb TensorProtos as
 * host tensors. Inputs are named by the TensorProto's name when it names a
 * graph input, else by position, as the ONNX backend runner does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { onnx } from '../onnx/read.js';
import { tensorFromProto } from '../onnx/ir.js';
import type { Tensor } from '../runtimes/runtime.js';

export interface DataSet {
  name: string;
  feeds: Record<string, Tensor>;
  /** Expected outputs, in graph output order. */
  expected: { name: string; tensor: Tensor }[];
}

/** The case's data sets, or why infermark cannot carry them (a sequence input, a string tensor...). */
export type CaseData = { ok: true; sets: DataSet[] } | { ok: false; reason: string };

type ValueInfo = onnxProto.onnx.IValueInfoProto;

function kindOf(v: ValueInfo): string {
  const t = v.type;
  if (t?.tensorType) return 'tensor';
  if (t?.sequenceType) return 'sequence';
  if (t?.optionalType) return 'optional';
  if (t?.mapType) return 'map';
  if (t?.sparseTensorType) return 'sparse tensor';
  return 'value of unknown type';
}

function pbFiles(dir: string, prefix: string): string[] {
  const index = (f: string) => Number(f.slice(prefix.length, -3));
  return readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.pb')).sort((a, b) => index(a) - index(b));
}

function readTensor(file: string): { name: string; tensor: Tensor } {
  const proto = onnx.TensorProto.decode(readFileSync(file));
  return { name: proto.name ?? '', tensor: tensorFromProto(proto) };
}

/** ONNX element type number of bfloat16. */
const BFLOAT16 = 16;

/**
 * The ONNX test generator wrote bfloat16 values as uint16 arrays (NumPy has
 * no bfloat16); the bits are the same, so a uint16 tensor for a value the
 * graph declares bfloat16 is read as bfloat16, as the ONNX backend runner does.
 */
function asDeclared(t: Tensor, v: ValueInfo | undefined): Tensor {
  return t.dtype === 'uint16' && v?.type?.tensorType?.elemType === BFLOAT16 ? { ...t, dtype: 'bfloat16' } : t;
}

export function readCaseData(dir: string): CaseData {
  const model = onnx.ModelProto.decode(readFileSync(join(dir, 'model.onnx')));
  const graph = model.graph ?? {};
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((v) => !initializers.has(v.name));
  const outputs = graph.output ?? [];
  for (const v of [...inputs, ...outputs]) {
    const kind = kindOf(v);
    if (kind !== 'tensor') return { ok: false, reason: `${v.name} is a ${kind}; infermark passes tensors only` };
  }
  const sets: DataSet[] = [];
  for (const setName of readdirSync(dir).filter((d) => d.startsWith('test_data_set_')).sort()) {
    const setDir = join(dir, setName);
    try {
      const given = pbFiles(setDir, 'input_').map((f) => readTensor(join(setDir, f)));
      const names = inputs.map((v) => v.name ?? '');
      const byName = given.length > 0 && given.every((t) => names.includes(t.name));
      const feeds = Object.fromEntries(given.map((t, k) => {
        const name = byName ? t.name : names[k] ?? t.name;
        return [name, asDeclared(t.tensor, inputs.find((v) => v.name === name))];
      }));
      const expected = pbFiles(setDir, 'output_').map((f, k) => ({ name: outputs[k]?.name ?? '', tensor: asDeclared(readTensor(join(setDir, f)).tensor, outputs[k]) }));
      sets.push({ name: setName, feeds, expected });
    } catch (err) {
      return { ok: false, reason: `test data ${setName}: ${(err as Error).message}` };
    }
  }
  if (sets.length === 0) return { ok: false, reason: 'no test_data_set_N folder' };
  return { ok: true, sets };
}
