/**
 * The tiny zoo models end to end: torch (eager and torchscript, cpu) against
 * onnxruntime-node on the same seeded inputs, in one shared worker.
 */
import { after, test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { resolveModelRef } from '../src/zoo/resolve.js';
import { tempDir } from './helpers/models.js';
import { decodeModel, modelIO } from '../src/onnx/read.js';
import { synthesizeInputs } from '../src/engine/inputs.js';
import { assertClose, runOrt, runTorch, skipTorch, startWorker } from './torch-helpers.js';

const TINY = ['resnet-tiny', 'vgg-tiny', 'densenet-tiny', 'efficientnet-tiny', 'mobilenet-tiny', 'bert-tiny'];
const BATCH = 2;
const SEQUENCE = 16;
/** Errors accumulate over dozens of layers: agree within 1e-3 scaled by (|reference| + 1). */
const TOLERANCE = 1e-3;

const dir = tempDir('infermark-torch-zoo-');
const worker = skipTorch ? undefined : startWorker();
after(() => worker?.close());

// Opset 13 writes LayerNormalization as primitive operators (ReduceMean, Sub, Sqrt, ...): BERT takes both paths.
const CASES: [string, number][] = [...TINY.map((name): [string, number] => [name, 17]), ['bert-tiny', 13]];

for (const [name, opset] of CASES) {
  test(`zoo:${name} (opset ${opset}) on torch cpu agrees with onnxruntime-node`, { skip: skipTorch }, async (t) => {
    const path = (await resolveModelRef(`zoo:${name}`, { cacheDir: dir, opset })).path;
    const bytes = new Uint8Array(await readFile(path));
    const { inputs } = modelIO(decodeModel(bytes));
    const shapes = Object.fromEntries(inputs.map((i) => [i.name, i.shape.map((d, axis) => (typeof d === 'number' ? d : axis === 0 ? BATCH : SEQUENCE))]));
    const feeds = synthesizeInputs(inputs, shapes, 42);
    const want = await runOrt(bytes, feeds);
    for (const mode of ['eager', 'torchscript']) {
      const got = await runTorch(worker!, bytes, feeds, mode);
      for (const [output, ref] of Object.entries(want)) {
        const maxAbs = assertClose(got[output], ref, `${name} ${mode} ${output}`, TOLERANCE, TOLERANCE);
        t.diagnostic(`${name} opset ${opset} ${mode} ${output}: max abs error ${maxAbs.toExponential(2)}`);
      }
    }
  });
}
