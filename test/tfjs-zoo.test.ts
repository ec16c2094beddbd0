/** The tiny zoo models end to end: tfjs (wasm and cpu) against onnxruntime-node on the same seeded inputs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolveModelRef } from '../src/zoo/resolve.js';
import { tempDir } from './helpers/models.js';
import { decodeModel, modelIO } from '../src/onnx/read.js';
import { synthesizeInputs } from '../src/engine/inputs.js';
import { compareOutputs, runOrt, runTfjs } from './tfjs-helpers.js';

const TINY = ['resnet-tiny', 'vgg-tiny', 'densenet-tiny', 'efficientnet-tiny', 'mobilenet-tiny', 'bert-tiny'];
const BATCH = 2;
const SEQUENCE = 16;
/** End to end, errors accumulate over dozens of layers: agree within 1e-3 scaled by (|reference| + 1). */
const TOLERANCE = 1e-3;

const dir = tempDir('infermark-tfjs-zoo-');

async function zooPath(name: string, opset: number): Promise<string> {
  return (await resolveModelRef(`zoo:${name}`, { cacheDir: dir, opset })).path;
}

// Opset 13 writes LayerNormalization as primitive operators (ReduceMean, Sub, Sqrt, ...): BERT takes both paths.
const CASES: [string, number][] = [...TINY.map((name): [string, number] => [name, 17]), ['bert-tiny', 13]];

for (const [name, opset] of CASES) {
  test(`zoo:${name} (opset ${opset}) agrees with onnxruntime-node on wasm and cpu`, async (t) => {
    const bytes = new Uint8Array(await readFile(await zooPath(name, opset)));
    const { inputs } = modelIO(decodeModel(bytes));
    const shapes = Object.fromEntries(inputs.map((i) => [i.name, i.shape.map((d, axis) => (typeof d === 'number' ? d : axis === 0 ? BATCH : SEQUENCE))]));
    const feeds = synthesizeInputs(inputs, shapes, 42);
    const want = await runOrt(bytes, feeds);
    for (const provider of ['wasm', 'cpu']) {
      const got = await runTfjs(bytes, feeds, provider);
      const agreement = compareOutputs(got, want, TOLERANCE);
      assert.ok(Number.isFinite(agreement.maxAbsError));
      t.diagnostic(`${name} opset ${opset} ${provider}: max abs error ${agreement.maxAbsError.toExponential(2)}, max scaled error ${agreement.maxScaledError.toExponential(2)}`);
    }
  });
}
