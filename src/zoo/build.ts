/** Building a zoo model by name: options resolved and checked once, here. */
import { InputError, invalidValue } from '../errors/input-error.js';
import { DEFAULT_SEED, DEFAULT_ZOO_OPSET, SUPPORTED_OPSETS, type ZooBuildOptions } from './build-options.js';
import { ZOO, type ZooDefinition } from './definitions.js';
import type { ZooBuilder } from './layers.js';
import type { WrittenModel } from '../onnx/serialize.js';
import type { SerializeOptions } from '../onnx/builder.js';

export function zooNames(): string[] {
  return ZOO.map((d) => d.name);
}

export function findZoo(name: string, field = 'model'): ZooDefinition {
  const def = ZOO.find((d) => d.name === name);
  if (!def) throw new InputError(field, `${field}: unknown zoo model ${JSON.stringify(name)}; known: ${zooNames().join(', ')}`);
  return def;
}

export function resolveBuildOptions(def: ZooDefinition, given: Partial<ZooBuildOptions> = {}): ZooBuildOptions {
  const opset = given.opset ?? DEFAULT_ZOO_OPSET;
  if (!(SUPPORTED_OPSETS as readonly number[]).includes(opset)) throw invalidValue('opset', opset, SUPPORTED_OPSETS.join(', '));
  const seed = given.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw invalidValue('seed', seed, 'an integer 0..4294967295');
  const batch = given.batch ?? 'dynamic';
  if (batch !== 'dynamic' && !(Number.isInteger(batch) && batch >= 1)) throw invalidValue('batch', batch, "'dynamic' or an integer >= 1");
  const seq = def.defaultSeq === undefined ? undefined : given.seq ?? def.defaultSeq;
  if (seq !== undefined && !(Number.isInteger(seq) && seq >= 1 && seq <= 512)) throw invalidValue('seq', seq, 'an integer 1..512 (the position table size of full BERT; 64 for bert-tiny)');
  return { opset, seed, batch, seq };
}

export function buildZoo(name: string, given: Partial<ZooBuildOptions> = {}): ZooBuilder {
  const def = findZoo(name);
  const opts = resolveBuildOptions(def, given);
  try {
    return def.build(opts);
  } catch (err) {
    if (err instanceof RangeError) throw new InputError('seq', `seq: ${err.message}`);
    throw err;
  }
}

function serializeOptions(def: ZooDefinition, opts: ZooBuildOptions): SerializeOptions {
  return { opset: opts.opset, producerVersion: `zoo-${def.name}-arch${def.archVersion}` };
}

/** Builds and writes a zoo model; the file is streamed, so memory stays well below the model's size. */
export async function writeZooModel(name: string, path: string, given: Partial<ZooBuildOptions> = {}): Promise<WrittenModel> {
  const def = findZoo(name);
  const opts = resolveBuildOptions(def, given);
  return buildZoo(name, opts).g.writeFile(path, serializeOptions(def, opts));
}

/** The bytes writeZooModel writes, in memory (for small models and tests). */
export function zooModelBytes(name: string, given: Partial<ZooBuildOptions> = {}): Uint8Array {
  const def = findZoo(name);
  const opts = resolveBuildOptions(def, given);
  return buildZoo(name, opts).g.toBytes(serializeOptions(def, opts));
}
