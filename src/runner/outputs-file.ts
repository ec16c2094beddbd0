/**
 * Outputs of one inference written to a file, so the parent can compare a
 * runtime's outputs with a reference's without pushing them through IPC.
 * Format: v8-serialised { name: HostTensor } (typed arrays survive as they are).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { HostTensor } from '../runtimes/runtime.js';

export function writeOutputsFile(path: string, outputs: Record<string, HostTensor>): void {
  writeFileSync(path, serialize(outputs));
}

export function readOutputsFile(path: string): Record<string, HostTensor> {
  return deserialize(readFileSync(path)) as Record<string, HostTensor>;
}
