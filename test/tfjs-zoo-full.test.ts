/**
 * Full-size zoo models on tfjs wasm against onnxruntime-node, batch 1, in one
 * process. Reports the agreement (max abs error, top-1) and a rough latency
 * of both; asserts only agreement, never timing. These five take about ten
 * seconds on 2 cores; VGG-19 and BERT-base take minutes and run on request:
 *   INFERMARK_TFJS_MODELS=vgg19,bert-base node --test dist/test/tfjs-zoo-full.test.js
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { decodeModel, modelIO } from '../src/onnx/read.js';
import { synthesizeInputs } from '../src/engine/inputs.js';
import type { HostTensor } from '../src/runtimes/runtime.js';
import tfjs from '../src/runtimes/tfjs.js';
import { resolveModelRef } from '../src/zoo/resolve.js';
import { compareOutputs } from './tfjs-helpers.js';

const MODELS = (process.env.INFERMARK_TFJS_MODELS ?? 'resnet50,efficientnet-b0,mobilenetv2,densenet201,bert-small').split(',');
const RUNS = 5;
/** The test cache the CLI tests share, so a full build happens once per machine, not in the user's cache. */
const CACHE_DIR = join(tmpdir(), 'infermark-test-cache', 'zoo');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(runs: number, f: () => Promise<unknown>): Promise<{ last: unknown; medianMs: number }> {
  let last = await f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await f();
    ms.push(performance.now() - t0);
  }
  return { last, medianMs: median(ms) };
}

function argmaxRows(t: HostTensor): number[] {
  const width = t.shape[t.shape.length - 1];
  const rows = t.data.length / width;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let j = 1; j < width; j++) if (Number(t.data[r * width + j]) > Number(t.data[r * width + best])) best = j;
    return best;
  });
}

for (const name of MODELS) {
  test(`zoo:${name} batch 1 on tfjs wasm vs onnxruntime-node`, async (t) => {
    const { path } = await resolveModelRef(`zoo:${name}`, { cacheDir: CACHE_DIR });
    const bytes = new Uint8Array(await readFile(path));
    const { inputs } = modelIO(decodeModel(bytes));
    const shapes = Object.fromEntries(inputs.map((i) => [i.name, i.shape.map((d) => (typeof d === 'number' ? d : 1))]));
    const feeds = synthesizeInputs(inputs, shapes, 42);

    const ref = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor(v.dtype as never, v.data as never, v.shape)]));
    const ortRun = await timed(RUNS, () => ref.run(ortFeeds));
    const want: Record<string, HostTensor> = {};
    for (const [k, v] of Object.entries(ortRun.last as Record<string, ort.Tensor>)) want[k] = { dtype: v.type as HostTensor['dtype'], shape: [...v.dims], data: v.data as HostTensor['data'] };
    await ref.release();

    const session = await tfjs.createSession({ bytes }, { provider: 'wasm', settings: {} });
    const prepared = session.prepare(feeds);
    const tfRun = await timed(RUNS, () => session.run(prepared));
    const got = await session.readOutputs(tfRun.last);
    await session.dispose();

    const agreement = compareOutputs(got, want, 1e-2);
    const main = Object.keys(want).find((k) => want[k].shape.length === 2) ?? Object.keys(want)[0];
    const maxRef = Array.from(want[main].data as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const top1 = argmaxRows(got[main]).every((c, i) => c === argmaxRows(want[main])[i]);
    t.diagnostic(`${name}: max abs error ${agreement.maxAbsError.toExponential(2)} (max |ref| ${maxRef.toFixed(2)}), top-1 ${top1 ? 'agrees' : 'DIFFERS'}; `
      + `median of ${RUNS}: tfjs wasm ${tfRun.medianMs.toFixed(1)} ms, onnxruntime-node (1 thread) ${ortRun.medianMs.toFixed(1)} ms`);
    assert.ok(top1, 'top-1 class agrees');
  });
}
