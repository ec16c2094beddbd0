/**
 * The Python-hosted runtimes (ort-python, openvino, tvm, tensorflow) end to
 * end through the CLI, as a user runs them: a tiny zoo model at batch 1 and 4
 * with every trial's outputs checked against the reference; XLA on and off;
 * OpenVINO's latency and throughput hints; TVM's compiled-library cache; a
 * model the TensorFlow mapping cannot convert (that trial fails with the
 * operator, the others go on); a python without the packages.
 * Under CI=true the runtimes must be available (scripts/setup-python.sh); elsewhere
 * a missing one skips with its reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readJsonl } from '../src/results/jsonl.js';
import { onnx } from '../src/onnx/read.js';
import { runCli } from './helpers/cli.js';
import { SHORT_RUN, skipUnlessPythonRuntimes } from './helpers/python-runtimes.js';
import { matmulModelBytes, tempDir, writeModel } from './helpers/models.js';

const NAMES = ['ort-python', 'openvino', 'tvm', 'tensorflow'];
const skip = await skipUnlessPythonRuntimes(NAMES);
const SHORT = SHORT_RUN;

interface Line {
  runtime: string; status: string; batchSize: number; settings: Record<string, unknown>;
  error?: { message?: string }; agreement?: { withinTolerance?: boolean; maxAbsError?: number }; loadKind?: string; throughputPerS?: number;
  loadDetails?: { cache?: string; tuningTrials?: number; tuningMs?: number };
}

function run(args: string[], dir: string): Line[] {
  const out = join(dir, `r${Math.random().toString(36).slice(2)}.jsonl`);
  // A cache of its own, so the first load of each model is cold and later ones warm on every test run.
  const r = runCli(['run', ...args, '--out', out, ...SHORT], { timeoutMs: 900_000, env: { INFERMARK_CACHE_DIR: join(dir, 'cache') } });
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}${r.stdout}`);
  return readJsonl(out).results as unknown as Line[];
}

function label(l: Line): string {
  return `${l.runtime} ${JSON.stringify(l.settings)} batch ${l.batchSize}`;
}

function assertAgrees(l: Line): void {
  assert.equal(l.status, 'ok', `${label(l)}: ${l.status} ${l.error?.message ?? ''}`);
  const a = l.agreement;
  assert.ok(a, `${label(l)}: outputs were not checked`);
  assert.equal(a.withinTolerance, true, `${label(l)}: outputs disagree with the reference (max abs error ${a.maxAbsError})`);
}

test('each Python runtime runs zoo:resnet-tiny at batch 1 and 4 and agrees with the reference; XLA on/off; OpenVINO hints; TVM cache', { skip }, () => {
  const dir = tempDir('infermark-pyrt-');
  const lines = run([
    'zoo:resnet-tiny', '--runtime', NAMES.join(','), '--batch', '1,4',
    '--set', 'tensorflow.xla=off,on', '--set', 'openvino.hint=latency,throughput',
  ], dir);
  // ort-python 2 + openvino 4 + tvm 2 + tensorflow 4
  assert.equal(lines.length, 12, lines.map(label).join('\n'));
  for (const l of lines) assertAgrees(l);
  const ovThroughput = lines.filter((l) => l.runtime === 'openvino' && l.settings.hint === 'throughput');
  for (const l of ovThroughput) {
    assert.ok(Number(l.throughputPerS) > 0, `${label(l)}: throughput counted over the window`);
  }
  // The two TVM trials share one compiled library (batch is symbolic): the first compiles, the second reads it.
  const tvmKinds = lines.filter((l) => l.runtime === 'tvm').map((l) => l.loadKind).sort();
  assert.deepEqual(tvmKinds, ['cold', 'warm']);
  // TensorFlow converts once; later trials of the same model load the cached SavedModel.
  const tfKinds = lines.filter((l) => l.runtime === 'tensorflow').map((l) => l.loadKind);
  assert.equal(tfKinds.filter((k) => k === 'cold').length, 1, `tensorflow load kinds: ${tfKinds.join(', ')}`);
});

test('tvm tuning meta-schedule: a bounded search times candidates on this CPU; the next load compiles from the cached records', { skip }, () => {
  const dir = tempDir('infermark-pyrt-');
  const path = writeModel(dir, 'matmul.onnx', matmulModelBytes(64));
  const args = [path, '--runtime', 'tvm', '--batch', '2', '--set', 'tvm.tuning=meta-schedule', '--set', 'tvm.tuningTrials=4'];
  const [first] = run(args, dir);
  assertAgrees(first);
  assert.equal(first.loadKind, 'cold');
  assert.equal(first.loadDetails?.cache, 'miss');
  // Counted from the records: candidates built and timed, not the budget.
  const timed = Number(first.loadDetails?.tuningTrials);
  assert.ok(timed >= 1 && timed <= 4, `timed candidates: ${timed}`);
  assert.ok(Number(first.loadDetails?.tuningMs) > 0);
  const [second] = run(args, dir);
  assertAgrees(second);
  assert.equal(second.loadKind, 'warm');
  assert.equal(second.loadDetails?.cache, 'hit');
});

/** y = HardSwish(x): onnxruntime and OpenVINO know it, the TensorFlow mapping does not. */
function hardSwishModel(): Uint8Array {
  const vi = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 8 }] } } } });
  return onnx.ModelProto.encode({
    irVersion: 8, producerName: 'infermark-test', opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'hs', node: [{ opType: 'HardSwish', input: ['x'], output: ['y'], name: 'hs0' }], input: [vi('x')], output: [vi('y')] },
  }).finish();
}

test('a model the TensorFlow mapping cannot convert: that trial fails with the operator, the others go on', { skip }, () => {
  const dir = tempDir('infermark-pyrt-');
  const path = writeModel(dir, 'hardswish.onnx', hardSwishModel());
  const lines = run([path, '--runtime', 'tensorflow,ort-python', '--batch', '2'], dir);
  const tf = lines.find((l) => l.runtime === 'tensorflow');
  const ort = lines.find((l) => l.runtime === 'ort-python');
  assert.equal(tf?.status, 'failed');
  assert.match(String(tf?.error?.message), /no rule for operator HardSwish \(node hs0\)/);
  assert.ok(ort);
  assertAgrees(ort);
});

test('a python without the runtime packages: each runtime is unavailable with the pip line and the set-up command', { skip: process.env.CI === 'true' ? false : skip }, () => {
  const dir = tempDir('infermark-pyrt-');
  const bare = join(dir, 'bare');
  execFileSync('python3', ['-m', 'venv', '--without-pip', bare]);
  const r = runCli(['runtimes', '--json'], { env: { INFERMARK_PYTHON: join(bare, 'bin', 'python') } });
  assert.equal(r.code, 0, r.stderr);
  const all = JSON.parse(r.stdout) as { runtimes?: { name: string; providers: { available: boolean; reason?: string }[] }[] };
  const list = all.runtimes ?? (all as unknown as NonNullable<typeof all.runtimes>);
  const want: Record<string, string> = { 'ort-python': 'onnxruntime', openvino: 'openvino', tvm: 'apache-tvm', tensorflow: 'tensorflow-cpu' };
  for (const [name, dist] of Object.entries(want)) {
    const rt = list.find((x) => x.name === name);
    const reason = rt?.providers[0]?.reason ?? '';
    assert.equal(rt?.providers[0]?.available, false, `${name} should be unavailable`);
    assert.match(reason, new RegExp(`the Python package ${dist} is missing`), reason);
    assert.match(reason, new RegExp(`-m pip install ${dist}`), reason);
    assert.match(reason, /bash scripts\/setup-python\.sh/, reason);
  }
});
