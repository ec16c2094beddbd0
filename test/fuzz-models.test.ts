/**
 * Fuzzing: a few hundred mutated models, generated from a fixed seed, through
 * load() and one predict on every runtime that runs in Node or the Python
 * worker, each runtime in a child process with a memory bound: ort-node,
 * ort-web, tfjs cpu and wasm (whose kernels trap on windows they cannot take:
 * those must be refused first, and a trap must never end the process), torch
 * (its loads share one worker per process), and a spread sample on the other
 * Python-hosted runtimes and the Chromium-hosted ones. No crash, no hang past the bound, every outcome
 * classified (it runs, an InputError of one line, or an Error that a trial
 * records as failed), never something that is not an Error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateCases } from './fuzz/mutate.js';
import { tempDir } from './helpers/models.js';
import { skipTorch } from './torch-helpers.js';
import { getRuntime } from '../src/runtimes/registry.js';

const SEED = 20261127;
const COUNT = 300;
const CHILD = fileURLToPath(new URL('./fuzz/child.js', import.meta.url));
const dir = tempDir('infermark-fuzz-');
const cases = generateCases(dir, SEED, COUNT);
test.after(() => rmSync(dir, { recursive: true, force: true }));

interface Line { i: number; at: 'start' | 'end'; kind?: string; message?: string }

/** A hosted runtime must run under CI=true; elsewhere a machine without its package or browser skips it, saying why. */
async function hostedSkip(runtime: string, provider: string): Promise<false | string> {
  const rt = await getRuntime(runtime);
  const cpu = (await rt.availability()).find((p) => p.name === provider);
  const reason = cpu?.available ? undefined : (cpu?.reason ?? `no ${provider} provider`);
  if (reason === undefined) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true, so ${runtime} must be available here, but: ${reason}`);
  return `${runtime} unavailable: ${reason}`;
}

async function runChild(runtime: string, provider: string, picked: number[], boundMs: number): Promise<{ lines: Line[]; code: number | null; signal: string | null; stderr: string; timedOut: boolean }> {
  // The child numbers its files from 0: its lines are mapped back to the case indices here.
  const child = spawn(process.execPath, ['--max-old-space-size=1024', CHILD, runtime, provider, ...picked.map((i) => cases[i].file)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, boundMs);
  const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.once('close', (c, s) => r([c, s])));
  clearTimeout(timer);
  const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line).map((l) => ({ ...l, i: picked[l.i] }));
  return { lines, code, signal, stderr, timedOut };
}

/**
 * Runtime, provider, and every how-many-th case it takes: the Python-hosted runtimes start a worker
 * per load (seconds each; TensorFlow and TVM import their framework and convert or compile), so they
 * take an evenly spread sample of the same cases.
 */
const RUNS: [string, string, number][] = [
  ['ort-node', 'cpu', 1], ['ort-web', 'wasm', 1], ['tfjs', 'cpu', 1], ['tfjs', 'wasm', 1], ['torch', 'cpu', 1],
  ['ort-python', 'cpu', 10], ['openvino', 'cpu', 10], ['tensorflow', 'cpu', 30], ['tvm', 'cpu', 30],
  ['ort-web@chromium', 'wasm', 30], ['tfjs@chromium', 'wasm', 30],
];
/** Runtimes hosted outside Node (a Python worker, a Chromium page): CI installs them, so there they must run. */
const HOSTED = new Set(['ort-python', 'openvino', 'tensorflow', 'tvm', 'ort-web@chromium', 'tfjs@chromium']);

for (const [runtime, provider, every] of RUNS) {
  const skip = runtime === 'torch' ? skipTorch : HOSTED.has(runtime) ? await hostedSkip(runtime, provider) : false;
  const picked = cases.map((_, i) => i).filter((i) => i % every === 0);
  test(`fuzz: ${picked.length} mutated models (seed ${SEED}) on ${runtime} ${provider}: no crash, no hang, every outcome classified`, { skip }, async () => {
    const r = await runChild(runtime, provider, picked, 300_000);
    const ends = r.lines.filter((l) => l.at === 'end');
    const unfinished = r.lines.filter((l) => l.at === 'start' && !ends.some((e) => e.i === l.i));
    const stuck = unfinished.map((l) => cases[l.i].label).join(', ');
    assert.ok(!r.timedOut, `hung past the bound at ${stuck}`);
    assert.equal(r.signal, null, `crashed (${r.signal}) at ${stuck}; stderr: ${r.stderr}`);
    assert.equal(r.code, 0, `exited ${r.code} at ${stuck}; stderr: ${r.stderr}`);
    assert.equal(ends.length, picked.length);
    for (const e of ends) {
      assert.notEqual(e.kind, 'unclassified', `${cases[e.i].label}: ${e.message}`);
      if (e.kind === 'input') assert.ok(!e.message!.includes('\n'), `${cases[e.i].label}: InputError on several lines: ${e.message}`);
    }
    const counts = Object.fromEntries(['ok', 'input', 'failed'].map((k) => [k, ends.filter((e) => e.kind === k).length]));
    console.log(`# ${runtime} ${provider}: ${JSON.stringify(counts)}`);
    // Our own reader names what is wrong; onnxruntime's own checker answers with plain Errors (failed trials).
    // Every window a wasm kernel would trap on is refused before the kernel runs.
    const trapped = ends.filter((e) => /memory access out of bounds|Aborted\(/.test(e.message ?? ''));
    assert.deepEqual(trapped.map((e) => cases[e.i].label), [], 'a kernel trapped instead of the model being refused');
    // tfjs and torch read the model with infermark's own importer, which names what is wrong.
    if (runtime === 'tfjs' || runtime === 'torch') assert.ok(counts.input > picked.length / 2, 'most broken models are named as input errors');
  });
}
