/**
 * What the parent learns from a model file before any trial starts: its
 * hash, its inputs and outputs, and the valid range of integer inputs.
 */
import { createHash } from 'node:crypto';
import type { TensorInfo } from '../runtimes/runtime.js';
import { decodeModel, modelIO, readModelBytes } from '../onnx/read.js';
import { InputError } from '../errors/input-error.js';
import { isTfjsModelPath, looksLikeTfjsModel } from '../runtimes/tfjs/model-json.js';

export interface ModelInfo {
  path: string;
  /** TorchScript files (zip archives from torch.jit.save) run on the torch runtime only, TensorFlow.js model.json on tfjs only. */
  format: 'onnx' | 'torchscript' | 'tfjs';
  sha256: string;
  sizeBytes: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** For integer inputs that index an embedding table: the table's row count. */
  vocabSizes: Record<string, number>;
}

export async function inspectModel(path: string, field = 'model'): Promise<ModelInfo> {
  const bytes = await readModelBytes(path, field);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (isZip(bytes)) {
    // TorchScript records neither dtypes nor shapes: the inputs come from --shape, as float32.
    return { path, format: 'torchscript', sha256, sizeBytes: bytes.byteLength, inputs: [], outputs: [], vocabSizes: {} };
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

/** A TorchScript model's inputs: the --shape entries, float32, batch first. */
export function torchScriptInputs(path: string, shapes: Record<string, number[]>): TensorInfo[] {
  const entries = Object.entries(shapes);
  if (entries.length === 0) {
    throw new InputError('--shape', `--shape: ${JSON.stringify(path)} is a TorchScript file, which records no input shapes; give each input's shape with --shape NAME=d0,d1,... (NAME as in the module's forward())`);
  }
  return entries.map(([name, shape]) => ({ name, dtype: 'float32', shape: ['batch', ...shape.slice(1)] }));
}
