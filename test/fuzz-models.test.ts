/**
 * Fuzzing: a few hundred mutated models, generated from a fixed seed,
 * through load() and one predict on ort-node, tfjs cpu and tfjs wasm (whose
 * kernels trap on windows they cannot take: those must be refused first, and a
 * trap must never end the process), each runtime in a child process with a
 * memory bound. torch runs them too: its loads share one Python worker per
 * process, and a case that kills the worker only costs a new one. No crash, no hang past the bound, every
 * outcome classified (it runs, an InputError of one line, or an Error that a
 * trial records as failed), never something that is not an Error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateCases } from './fuzz/mutate.js';
import { tempDir } from './helpers/models.js';
import { skipTorch } from './torch-helpers.js';

const SEED = 20261127;
const COUNT = 300;
const CHILD = fileURLToPath(new URL('./fuzz/child.js', import.meta.url));
const dir = tempDir('infermark-fuzz-');
const cases = generateCases(dir, SEED, COUNT);
test.after(() => rmSync(dir, { recursive: true, force: true }));

interface Line { i: number; at: 'start' | 'end'; kind?: string; message?: string }

async function runChild(runtime: string, provider: string, boundMs: number): Promise<{ lines: Line[]; code: number | null; signal: string | null; stderr: string; timedOut: boolean }> {
  const child = spawn(process.execPath, ['--max-old-space-size=1024', CHILD, runtime, provider, ...cases.map((c) => c.file)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, boundMs);
  const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.once('close', (c, s) => r([c, s])));
  clearTimeout(timer);
  const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
  return { lines, code, signal, stderr, timedOut };
}

for (const [runtime, provider] of [['ort-node', 'cpu'], ['tfjs', 'cpu'], ['tfjs', 'wasm'], ['torch', 'cpu']]) {
  const skip = runtime === 'torch' ? skipTorch : false;
  test(`fuzz: ${COUNT} mutated models (seed ${SEED}) on ${runtime} ${provider}: no crash, no hang, every outcome classified`, { skip }, async () => {
    const r = await runChild(runtime, provider, 120_000);
    const ends = r.lines.filter((l) => l.at === 'end');
    const unfinished = r.lines.filter((l) => l.at === 'start' && !ends.some((e) => e.i === l.i));
    const stuck = unfinished.map((l) => cases[l.i].label).join(', ');
    assert.ok(!r.timedOut, `hung past the bound at ${stuck}`);
    assert.equal(r.signal, null, `crashed (${r.signal}) at ${stuck}; stderr: ${r.stderr}`);
    assert.equal(r.code, 0, `exited ${r.code} at ${stuck}; stderr: ${r.stderr}`);
    assert.equal(ends.length, COUNT);
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
    if (runtime !== 'ort-node') assert.ok(counts.input > COUNT / 2, 'most broken models are named as input errors');
  });
}
