/**
 * Outputs of one inference written to a file, so the parent can compare a
 * runtime's outputs with a reference's without pushing them through IPC.
 * Format: v8-serialised { name: Tensor } (typed arrays and string arrays survive as they are).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { HostTensor, Tensor } from '../runtimes/runtime.js';

export function writeOutputsFile(path: string, outputs: Record<string, Tensor>): void {
  writeFileSync(path, serialize(outputs));
}

/** Every output, string tensors included. */
export function readValuesFile(path: string): Record<string, Tensor> {
  return deserialize(readFileSync(path)) as Record<string, Tensor>;
}

/** The outputs for numeric code (ensemble averaging): a string output is refused by name. */
export function readOutputsFile(path: string): Record<string, HostTensor> {
  const values = readValuesFile(path);
  const str = Object.keys(values).find((k) => values[k].dtype === 'string');
  if (str) throw new Error(`output ${str} is a string tensor: numbers are needed here`);
  return values as Record<string, HostTensor>;
}
