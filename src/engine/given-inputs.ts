/**
 * Values the user gives for inputs: --input NAME=VALUE (a number or
 * true/false broadcast to the input's shape), --input NAME=FILE (.npy, an
 * ONNX TensorProto .pb, or JSON) and --inputs DIR (the ONNX test_data_set
 * layout, input_K.pb). Checked here, in the parent, against what the model
 * declares, so a bad feed is one line before any trial starts.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TensorInfo } from '../runtimes/runtime.js';
import type { GivenInput } from '../core/trial-spec.js';
import { InputError } from '../errors/input-error.js';
import { readTensorFile } from '../onnx/tensor-file.js';

export interface GivenInputsRequest {
  /** NAME=VALUE or NAME=FILE entries, as typed. */
  entries?: string[];
  /** A test_data_set folder. */
  dir?: string;
}

export interface ResolvedGivenInputs {
  given: Record<string, GivenInput>;
  /** The shape of every input given as a file. */
  fileShapes: Record<string, number[]>;
}

const declaredText = (i: TensorInfo) => `${i.dtype} [${i.shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;

function parseConstant(text: string): number | undefined {
  if (text === 'true') return 1;
  if (text === 'false') return 0;
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined;
}

function checkFile(field: string, info: TensorInfo, path: string): number[] {
  let t;
  try {
    t = readTensorFile(path, info.dtype);
  } catch (err) {
    throw new InputError(field, `${field}: ${(err as Error).message}`);
  }
  if (t.dtype !== info.dtype) {
    throw new InputError(field, `${field}: the file holds ${t.dtype} data [${t.shape.join(', ')}]; the model declares ${info.name} as ${declaredText(info)}`);
  }
  const fixedMismatch = info.shape.some((d, k) => typeof d === 'number' && t.shape[k] !== d);
  if ((info.shape.length > 0 || t.shape.length === 0) && (t.shape.length !== info.shape.length || fixedMismatch)) {
    throw new InputError(field, `${field}: the file holds shape [${t.shape.join(', ')}]; the model declares ${info.name} as ${declaredText(info)}`);
  }
  return t.shape;
}

function dirEntries(dir: string, inputs: TensorInfo[]): [string, string][] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError('--inputs', `--inputs: ${JSON.stringify(dir)} is not a folder; give a test_data_set folder holding input_0.pb, input_1.pb, ...`);
  const files = readdirSync(dir).filter((f) => /^input_\d+\.pb$/.test(f)).sort((a, b) => Number(a.slice(6, -3)) - Number(b.slice(6, -3)));
  if (files.length === 0) throw new InputError('--inputs', `--inputs: ${JSON.stringify(dir)} holds no input_K.pb files (the ONNX test_data_set layout)`);
  return files.map((f, k) => {
    const path = resolve(join(dir, f));
    let name: string | undefined;
    try {
      // Only the tensor's name is read here; its type is checked against the input below.
      name = readTensorFile(path, 'string').name;
    } catch (err) {
      throw new InputError('--inputs', `--inputs: ${f}: ${(err as Error).message}`);
    }
    const byPosition = inputs[Number(f.slice(6, -3))]?.name;
    if (!name && !byPosition) throw new InputError('--inputs', `--inputs: ${f} has no tensor name and the model has only ${inputs.length} inputs`);
    return [name || byPosition!, path];
  });
}

export function resolveGivenInputs(inputs: TensorInfo[], req: GivenInputsRequest): ResolvedGivenInputs {
  const out: ResolvedGivenInputs = { given: {}, fileShapes: {} };
  const pairs: [string, string, string][] = [];
  if (req.dir !== undefined) for (const [name, path] of dirEntries(req.dir, inputs)) pairs.push([`--inputs ${req.dir}: ${name}`, name, `@${path}`]);
  for (const entry of req.entries ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new InputError('--input', `--input: ${JSON.stringify(entry)} is not valid; allowed: NAME=VALUE (a number, true or false) or NAME=FILE (.npy, .pb, .json)`);
    pairs.push([`--input ${entry}`, entry.slice(0, eq), entry.slice(eq + 1)]);
  }
  for (const [field, name, value] of pairs) {
    const info = inputs.find((i) => i.name === name);
    if (!info) throw new InputError('--input', `${field}: the model has no input ${JSON.stringify(name)}; its inputs: ${inputs.map((i) => `${i.name} ${declaredText(i)}`).join(', ')}`);
    const constant = value.startsWith('@') ? undefined : parseConstant(value);
    if (constant !== undefined) {
      out.given[name] = { constant };
      continue;
    }
    const path = resolve(value.replace(/^@/, ''));
    if (!existsSync(path)) throw new InputError('--input', `${field}: ${JSON.stringify(value)} is neither a number (or true/false) nor an existing file (.npy, .pb, .json)`);
    out.fileShapes[name] = checkFile(field, info, path);
    out.given[name] = { file: path };
  }
  return out;
}

/** A file's shape must be the one the trial runs at (its batch included). */
export function checkFileShapes(resolved: ResolvedGivenInputs, shapes: Record<string, number[]>, batchSize: number): void {
  for (const [name, fileShape] of Object.entries(resolved.fileShapes)) {
    const want = shapes[name];
    if (want && want.join(',') !== fileShape.join(',')) {
      throw new InputError('--input', `--input ${name}: the file holds shape [${fileShape.join(', ')}], the trial at --batch ${batchSize} needs [${want.join(', ')}]; give a file of that batch or the matching --batch`);
    }
  }
}
