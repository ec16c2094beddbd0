/**
 * Imported graphs against the same networks written by hand: ResNet-50 and
 * BERT-small through the TensorFlow.js importer against direct tfjs ops
 * (bench/direct-tfjs.ts), and through the torch importer against torch
 * modules (bench/direct_torch.py). Runs alternate between the two so load on
 * the machine falls on both alike; the ratio is importer / direct median
 * latency (target <= 1.10). One thread everywhere.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { getRuntime } from '../src/runtimes/registry.js';
import { resolveSettings } from '../src/runtimes/settings.js';
import { resolveModelRef } from '../src/zoo/resolve.js';
import { synthesizeInputs } from '../src/runner/inputs.js';
import { findTorch } from '../src/runtimes/torch/python.js';
import { summarize } from '../src/stats/summary.js';

const median = (xs: number[]) => summarize(xs).median;
import { bert, resnet50 } from './direct-tfjs.js';

const RUNS = Number(process.env.INFERMARK_BENCH_RUNS ?? 5);
const BERT_SMALL = { vocab: 30522, hidden: 256, layers: 4, heads: 4, intermediate: 1024, seq: 128 };

async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** `build` runs after the importer's session has activated the backend, so the hand-written weights live on it too. */
async function tfjsPair(ref: string, build: () => () => tf.Tensor | tf.Tensor[]): Promise<[number, number]> {
  const rt = await getRuntime('tfjs');
  const { path } = await resolveModelRef(ref);
  const session = await rt.createSession({ path }, { provider: 'wasm', settings: resolveSettings('tfjs', rt.settings, { numThreads: 1 }) });
  const shapes = Object.fromEntries(session.inputs.map((i) => [i.name, i.shape.map((d) => (typeof d === 'number' ? d : 1))]));
  const prepared = session.prepare(synthesizeInputs(session.inputs, shapes, 42, { input_ids: [0, 1000] }));
  const direct = build();
  const runDirect = async () => {
    const out = direct();
    const all = Array.isArray(out) ? out : [out];
    await Promise.all(all.map((t) => t.data()));
    all.forEach((t) => t.dispose());
  };
  await session.run(prepared);
  await runDirect();
  const imported: number[] = [];
  const hand: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    imported.push(await timeOnce(() => session.run(prepared)));
    hand.push(await timeOnce(runDirect));
  }
  await session.dispose();
  return [median(imported), median(hand)];
}

/** The hand-written torch networks in one Python process: ask(name) runs one call and resolves with its milliseconds. */
async function directTorch(python: string): Promise<{ ask: (name: string) => Promise<number>; close: () => void }> {
  const script = fileURLToPath(new URL('../../bench/direct_torch.py', import.meta.url));
  const child = spawn(python, ['-B', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => String((await lines.next()).value);
  if ((await next()) !== 'ready') throw new Error('bench/direct_torch.py did not start');
  return {
    ask: async (name) => { child.stdin.write(`${name}\n`); return Number(await next()); },
    close: () => child.stdin.end(),
  };
}

/** Imported and hand-written calls alternate, one sample each, each timed inside its own Python. */
async function torchPair(ref: string, name: string, direct: (name: string) => Promise<number>): Promise<[number, number]> {
  const rt = await getRuntime('torch');
  const { path } = await resolveModelRef(ref);
  const session = await rt.createSession({ path }, { provider: 'cpu', settings: resolveSettings('torch', rt.settings, { threads: 1, interopThreads: 1 }) });
  const shapes = Object.fromEntries(session.inputs.map((i) => [i.name, i.shape.map((d) => (typeof d === 'number' ? d : 1))]));
  const prepared = session.prepare(synthesizeInputs(session.inputs, shapes, 42, { input_ids: [0, 1000] }));
  const one = { warmupRuns: 0, warmupMaxMs: 0, minSamples: 1, minTimeMs: 0, maxTimeMs: 600_000, targetCiRel: 1, maxSamples: 1 };
  await session.measureLoop!(prepared, one);
  const imported: number[] = [];
  const hand: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    imported.push(...(await session.measureLoop!(prepared, one)).samplesMs);
    hand.push(await direct(name));
  }
  await session.dispose();
  return [median(imported), median(hand)];
}

const line = (what: string, a: number, b: number) => console.log(`${what.padEnd(34)} ${a.toFixed(1).padStart(9)}  ${b.toFixed(1).padStart(9)}  ${(a / b).toFixed(2).padStart(5)}`);

export async function main(): Promise<void> {
  console.log(`importers vs hand-written networks, batch 1, one thread, median of ${RUNS} runs (ratio target <= 1.10)`);
  console.log(`${'network'.padEnd(34)} ${'imported'.padStart(9)}  ${'direct'.padStart(9)}  ratio   (ms)`);
  const [ri, rd] = await tfjsPair('zoo:resnet50', () => {
    const net = resnet50();
    const x = tf.keep(tf.randomUniform([1, 224, 224, 3], -1, 1)) as tf.Tensor4D;
    return () => net(x);
  });
  line('tfjs wasm  ResNet-50', ri, rd);
  const [bi, bd] = await tfjsPair('zoo:bert-small', () => {
    const b = bert(BERT_SMALL);
    const ids = tf.keep(tf.randomUniform([1, 128], 0, 1000, 'int32')) as tf.Tensor2D;
    const ones = tf.keep(tf.ones([1, 128], 'int32')) as tf.Tensor2D;
    const zeros = tf.keep(tf.zeros([1, 128], 'int32')) as tf.Tensor2D;
    return () => b(ids, ones, zeros);
  });
  line('tfjs wasm  BERT-small (seq 128)', bi, bd);

  const found = await findTorch();
  if (!found.ok) {
    console.log(`torch: not measured: ${found.reason}`);
    return;
  }
  const direct = await directTorch(found.probe.python);
  try {
    line('torch cpu  ResNet-50', ...await torchPair('zoo:resnet50', 'resnet50', direct.ask));
    line('torch cpu  BERT-small (seq 128)', ...await torchPair('zoo:bert-small', 'bert-small', direct.ask));
  } finally {
    direct.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
