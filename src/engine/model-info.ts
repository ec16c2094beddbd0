/**
 * What the parent learns from a model file before any trial starts: its
 * hash, its inputs and outputs, and the valid range of integer inputs.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TensorInfo } from '../runtimes/runtime.js';
import { decodeModel, modelIO, readModelBytes } from '../onnx/read.js';
import { InputError } from '../errors/input-error.js';
import { isTfjsModelPath, looksLikeTfjsModel } from '../runtimes/tfjs/model-json.js';

export interface ModelInfo {
  path: string;
  /** A framework's own file runs on that framework only (FRAMEWORK_FORMATS): TorchScript on torch, SavedModel and .keras on tensorflow; TensorFlow.js model.json on tfjs. */
  format: 'onnx' | FrameworkFormat;
  sha256: string;
  sizeBytes: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** For integer inputs that index an embedding table: the table's row count. */
  vocabSizes: Record<string, number>;
}

export type FrameworkFormat = 'torchscript' | 'savedmodel' | 'keras' | 'tfjs';

/** Each framework format's runtime and how a user recognises it. */
export const FRAMEWORK_FORMATS: Record<FrameworkFormat, { runtime: string; what: string }> = {
  torchscript: { runtime: 'torch', what: 'a TorchScript file' },
  savedmodel: { runtime: 'tensorflow', what: 'a TensorFlow SavedModel folder' },
  keras: { runtime: 'tensorflow', what: 'a Keras .keras file' },
  tfjs: { runtime: 'tfjs', what: 'a TensorFlow.js model.json' },
};

/** A SavedModel folder's identity: the sha256 of its files' relative names and contents, in sorted order. */
async function folderSha256(root: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const walk = async (rel: string): Promise<void> => {
    const entries = (await readdir(join(root, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(name);
      else if (e.isFile()) {
        const bytes = await readFile(join(root, name));
        sizeBytes += bytes.byteLength;
        hash.update(`${name}\0${bytes.byteLength}\0`).update(bytes);
      }
    }
  };
  await walk('');
  return { sha256: hash.digest('hex'), sizeBytes };
}

export async function inspectModel(path: string, field = 'model'): Promise<ModelInfo> {
  if ((await stat(path).catch(() => undefined))?.isDirectory()) {
    if (!(await stat(join(path, 'saved_model.pb')).catch(() => undefined))?.isFile()) {
      throw new InputError(field, `${field}: ${JSON.stringify(path)} is a folder without saved_model.pb; allowed: an .onnx file, a TorchScript file, a .keras file, or a TensorFlow SavedModel folder`);
    }
    return { path, format: 'savedmodel', ...(await folderSha256(path)), inputs: [], outputs: [], vocabSizes: {} };
  }
  const bytes = await readModelBytes(path, field);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (isZip(bytes) || path.endsWith('.py')) {
    // TorchScript and .keras record neither dtypes nor shapes here: the inputs come from --shape, as float32.
    // torch's other own forms (a .pt2 program, a .py factory file) take the same path: torch reads them, nothing else does.
    return { path, format: path.endsWith('.keras') ? 'keras' : 'torchscript', sha256, sizeBytes: bytes.byteLength, inputs: [], outputs: [], vocabSizes: {} };
  }
  if (isTfjsModelPath(path) && looksLikeTfjsModel(bytes)) {
    const { nativeModelIO } = await import('../runtimes/tfjs/native-model.js');
    return { path, format: 'tfjs', sha256, sizeBytes: bytes.byteLength, ...(await nativeModelIO(path)), vocabSizes: {} };
  }
  const model = decodeModel(bytes, `${field} ${JSON.stringify(path)}`);
  const { inputs, outputs } = modelIO(model);
  const vocabSizes: Record<string, number> = {};
  const init = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  for (const node of model.graph?.node ?? []) {
    if (node.opType !== 'Gather') continue;
    const [data, indices] = node.input ?? [];
    const table = init.get(data ?? '');
    if (indices && table?.dims?.length) vocabSizes[indices] = Number(table.dims[0]);
  }
  return {
    path,
    format: 'onnx',
    sha256,
    sizeBytes: bytes.byteLength,
    inputs,
    outputs,
    vocabSizes,
  };
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** A framework file's inputs (TorchScript, SavedModel, .keras): the --shape entries, float32, batch first. */
export function torchScriptInputs(path: string, shapes: Record<string, number[]>, format: FrameworkFormat = 'torchscript'): TensorInfo[] {
  const entries = Object.entries(shapes);
  if (entries.length === 0) {
    const names = format === 'torchscript' ? "the module's forward()" : "the model's input names";
    throw new InputError('--shape', `--shape: ${JSON.stringify(path)} is ${FRAMEWORK_FORMATS[format].what}, whose input shapes infermark does not read; give each input's shape with --shape NAME=d0,d1,... (NAME as in ${names})`);
  }
  return entries.map(([name, shape]) => ({ name, dtype: 'float32', shape: ['batch', ...shape.slice(1)] }));
}
