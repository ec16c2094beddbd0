/**
 * Finding ONNX backend test cases: folders holding model.onnx and
 * test_data_set_N/ folders of input_K.pb and output_K.pb TensorProtos.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from '../onnx/read.js';
import type { ConformanceCase } from './types.js';

/** Where Debian's libonnx-testdata puts the operator ("node") tests. */
export const DEBIAN_NODE_TESTS = '/usr/share/libonnx-testdata/data/node';

function snake(opType: string): string {
  return opType.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/**
 * The operator a case tests. Most node tests hold one node; an "expanded"
 * case holds the function body of its operator, so the op whose name the
 * folder carries wins, and otherwise the last node (the one producing the output).
 */
export function operatorOf(testName: string, opTypes: string[]): string {
  const distinct = [...new Set(opTypes)];
  if (distinct.length === 1) return distinct[0];
  const bare = testName.replace(/^test_/, '');
  const named = distinct.filter((op) => bare.startsWith(snake(op))).sort((a, b) => b.length - a.length)[0];
  return named ?? opTypes[opTypes.length - 1] ?? '(no node)';
}

function readOperator(dir: string, name: string): string {
  try {
    const model = onnx.ModelProto.decode(readFileSync(join(dir, 'model.onnx')));
    return operatorOf(name, (model.graph?.node ?? []).map((n) => n.opType ?? ''));
  } catch {
    return '(unreadable model)';
  }
}

/** Every test case under `root` (a folder of case folders), sorted by name; `filter` matches folder names. */
export function listCases(root: string, filter?: RegExp): ConformanceCase[] {
  return readdirSync(root)
    .filter((name) => (!filter || filter.test(name)) && existsSync(join(root, name, 'model.onnx')) && statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => ({ name, dir: join(root, name), operator: readOperator(join(root, name), name) }));
}
