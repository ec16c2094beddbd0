/**
 * TensorFlow.js's own model format: a folder holding model.json (a graph
 * model from tensorflowjs_converter, or a layers model from model.save())
 * and its weight shards. Everything is read through the safe reader: the
 * JSON is a regular file, and every shard must lie inside the model's
 * folder, so a model.json cannot make infermark read anything else.
 */
import { basename, dirname } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../../errors/input-error.js';
import { readExternalData, readRegularFile } from '../../files/safe-read.js';

export type TfjsModelKind = 'graph-model' | 'layers-model';

export interface TfjsModelJson {
  kind: TfjsModelKind;
  artifacts: tf.io.ModelArtifacts;
}

/** Whether a model path names a TensorFlow.js model (a model.json, or any .json holding one). */
export function isTfjsModelPath(path: string): boolean {
  return /\.json$/i.test(path);
}

/** Whether a file's bytes are a TensorFlow.js model.json (vs. a plan file, which is JSON too). */
export function looksLikeTfjsModel(bytes: Uint8Array): boolean {
  try {
    const json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as Record<string, unknown>;
    return json !== null && typeof json === 'object' && 'modelTopology' in json;
  } catch {
    return false;
  }
}

function kindOf(json: Record<string, unknown>, field: string): TfjsModelKind {
  if (json.format === 'graph-model' || json.format === 'layers-model') return json.format;
  const topology = json.modelTopology as Record<string, unknown> | undefined;
  if (topology && Array.isArray(topology.node)) return 'graph-model';
  if (topology && (topology.class_name !== undefined || topology.model_config !== undefined)) return 'layers-model';
  throw new InputError(field, `${field}: not a TensorFlow.js model.json (no "format" of graph-model or layers-model and no model topology); give the model.json written by tensorflowjs_converter or model.save()`);
}

/** The model's weights, shard after shard, each read from inside the model's folder. */
function readWeights(dir: string, manifest: tf.io.WeightsManifestConfig, field: string): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Buffer[] = [];
  for (const group of manifest) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) throw new InputError(field, `${field}: weightsManifest entries need "paths" and "weights" lists`);
    specs.push(...group.weights);
    for (const p of group.paths) parts.push(readExternalData(dir, { tensor: `weights shard ${p}`, location: String(p), offset: undefined, length: undefined }, field));
  }
  const all = Buffer.concat(parts);
  return { specs, data: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer };
}

/** model.json and its shards as tfjs ModelArtifacts. */
export function readTfjsModel(path: string, field = 'model'): TfjsModelJson {
  const text = readRegularFile(path, field).toString('utf8');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new InputError(field, `${field}: ${JSON.stringify(basename(path))} is not JSON (${(err as Error).message}); give a TensorFlow.js model.json`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new InputError(field, `${field}: ${JSON.stringify(basename(path))} is not a TensorFlow.js model.json (not a JSON object)`);
  const kind = kindOf(json, field);
  const manifest = (json.weightsManifest ?? []) as tf.io.WeightsManifestConfig;
  if (!Array.isArray(manifest)) throw new InputError(field, `${field}: "weightsManifest" must be a list`);
  const { specs, data } = readWeights(dirname(path), manifest, field);
  return {
    kind,
    artifacts: {
      modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      format: json.format as string | undefined,
      generatedBy: json.generatedBy as string | undefined,
      convertedBy: json.convertedBy as string | null | undefined,
      signature: json.signature as object | undefined,
      userDefinedMetadata: json.userDefinedMetadata as { [key: string]: {} } | undefined,
      modelInitializer: json.modelInitializer as object | undefined,
      trainingConfig: json.trainingConfig as tf.io.TrainingConfig | undefined,
      weightSpecs: specs,
      weightData: data,
    },
  };
}
