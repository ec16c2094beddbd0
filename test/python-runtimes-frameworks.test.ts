/**
 * The frameworks' own models and compilers' own steps, end to end through the
 * CLI: a zoo network as its keras.applications model (tensorflow format
 * native) at float32 and mixed precision, checked against the reference with
 * the tolerance each precision earns; a SavedModel folder and a .keras file
 * made with TensorFlow in the test; the converter facts typed in each result.
 * Under CI=true the runtimes must be available (scripts/setup-python.sh); elsewhere
 * a missing one skips with its reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readJsonl } from '../src/results/jsonl.js';
import { pythonCandidates } from '../src/runtimes/python-worker/python-env.js';
import { REDUCED_PRECISION_TOLERANCE } from '../src/engine/check-outputs.js';
import type { LoadDetails } from '../src/results/types.js';
import { runCli } from './helpers/cli.js';
import { SHORT_RUN, skipUnlessPythonRuntimes } from './helpers/python-runtimes.js';
import { tempDir } from './helpers/models.js';

const NAMES = ['tensorflow'];
const skip = await skipUnlessPythonRuntimes(NAMES);
const SHORT = SHORT_RUN;

interface Line {
  runtime: string; status: string; batchSize: number; settings: Record<string, unknown>;
  error?: { message?: string }; loadKind?: string; loadMs?: number; loadDetails?: LoadDetails;
  agreement?: { withinTolerance?: boolean; maxAbsError?: number; tolerance?: { absTol: number; relTol: number }; top1Agreement?: number };
}

function run(args: string[], cache: string, dir: string): Line[] {
  const out = join(dir, `r${Math.random().toString(36).slice(2)}.jsonl`);
  const r = runCli(['run', ...args, '--out', out, ...SHORT], { timeoutMs: 900_000, env: { INFERMARK_CACHE_DIR: cache } });
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}${r.stdout}`);
  return readJsonl(out).results as unknown as Line[];
}

const label = (l: Line) => `${l.runtime} ${JSON.stringify(l.settings)} batch ${l.batchSize}`;

test('tensorflow format native: zoo:mobilenetv2 as keras.applications.MobileNetV2 agrees with the reference, float32 and mixed bfloat16 within their tolerances', { skip }, () => {
  const dir = tempDir('infermark-pyfw-');
  const lines = run(['zoo:mobilenetv2', '--runtime', 'tensorflow', '--format', 'native', '--set', 'tensorflow.precision=fp32,mixed_bfloat16', '--batch', '2'], join(dir, 'cache'), dir);
  assert.equal(lines.length, 2, lines.map(label).join('\n'));
  for (const l of lines) {
    assert.equal(l.status, 'ok', `${label(l)}: ${l.error?.message ?? ''}`);
    assert.equal(l.agreement?.withinTolerance, true, `${label(l)}: max abs error ${l.agreement?.maxAbsError}`);
    assert.equal(l.agreement?.top1Agreement, 1);
    assert.match(String(l.loadDetails?.converter), /keras\.applications\.MobileNetV2/);
    assert.equal(l.loadDetails?.cache, 'miss');
    assert.ok(Number(l.loadDetails?.convertMs) > 0);
  }
  const fp32 = lines.find((l) => l.settings.precision === 'fp32')!;
  const bf16 = lines.find((l) => l.settings.precision === 'mixed_bfloat16')!;
  // The tolerance each trial was held to is recorded: the default for float32, the wider one for bfloat16.
  assert.ok(fp32.agreement!.tolerance!.absTol < REDUCED_PRECISION_TOLERANCE.mixed_bfloat16.absTol);
  assert.deepEqual(bf16.agreement?.tolerance, REDUCED_PRECISION_TOLERANCE.mixed_bfloat16);
  // bfloat16 compute really ran: its outputs differ from float32's by more than float32 reordering does.
  assert.ok(Number(bf16.agreement?.maxAbsError) > 10 * Number(fp32.agreement?.maxAbsError), `${bf16.agreement?.maxAbsError} vs ${fp32.agreement?.maxAbsError}`);
});

test('tensorflow format native on a zoo network without a keras.applications model fails that trial with the list of native models', { skip }, () => {
  const dir = tempDir('infermark-pyfw-');
  const lines = run(['zoo:resnet-tiny', '--runtime', 'tensorflow,ort-node', '--format', 'native', '--batch', '1'], join(dir, 'cache'), dir);
  const tf = lines.find((l) => l.runtime === 'tensorflow');
  assert.equal(tf?.status, 'failed');
  assert.match(String(tf?.error?.message), /'resnet-tiny' has no keras\.applications model; native models: resnet50, mobilenetv2, vgg19, densenet201, efficientnet-b0/);
  assert.equal(lines.find((l) => l.runtime === 'ort-node')?.status, 'ok');
});

/** A small Keras model saved as .keras and exported as a SavedModel, by TensorFlow itself. */
function makeUserModels(dir: string): { keras: string; savedModel: string } {
  const keras = join(dir, 'user.keras');
  const savedModel = join(dir, 'user-savedmodel');
  const script = `
import sys, keras
inp = keras.Input((8,), name="x")
out = keras.layers.Dense(4, name="y")(keras.layers.Dense(16, activation="relu")(inp))
m = keras.Model(inp, out)
m.save(sys.argv[1])
m.export(sys.argv[2])
`;
  execFileSync(pythonCandidates()[0], ['-c', script, keras, savedModel], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  return { keras, savedModel };
}

test('a SavedModel folder and a .keras file run on tensorflow, at float32 and (the .keras file) mixed float16; other runtimes refuse them', { skip }, () => {
  const dir = tempDir('infermark-pyfw-');
  const { keras, savedModel } = makeUserModels(dir);
  const cache = join(dir, 'cache');
  const fromKeras = run([keras, '--runtime', 'tensorflow', '--shape', 'x=1,8', '--set', 'tensorflow.precision=fp32,mixed_float16', '--batch', '1,3'], cache, dir);
  assert.equal(fromKeras.length, 4, fromKeras.map(label).join('\n'));
  for (const l of fromKeras) {
    assert.equal(l.status, 'ok', `${label(l)}: ${l.error?.message ?? ''}`);
    assert.equal(l.agreement, undefined, 'a .keras file has no ONNX reference to be checked against');
  }
  const fromSaved = run([savedModel, '--runtime', 'tensorflow', '--shape', 'x=1,8', '--batch', '2'], cache, dir);
  assert.equal(fromSaved.length, 1);
  assert.equal(fromSaved[0].status, 'ok', fromSaved[0].error?.message);
  // A SavedModel runs in its own precision: asking for mixed precision fails that trial and says why.
  const mixed = run([savedModel, '--runtime', 'tensorflow', '--shape', 'x=1,8', '--set', 'tensorflow.precision=mixed_float16', '--batch', '1'], cache, dir);
  assert.equal(mixed[0].status, 'failed');
  assert.match(String(mixed[0].error?.message), /tensorflow\.precision mixed_float16 applies to Keras models/);
  const other = runCli(['run', keras, '--runtime', 'ort-node', '--shape', 'x=1,8', '--out', join(dir, 'x.jsonl'), ...SHORT]);
  assert.equal(other.code, 2, other.stderr);
  assert.match(other.stderr, /is a Keras \.keras file, which only the tensorflow runtime reads; use --runtime tensorflow/);
  const folder = runCli(['run', dir, '--runtime', 'tensorflow', '--out', join(dir, 'y.jsonl'), ...SHORT]);
  assert.equal(folder.code, 2, folder.stderr);
  assert.match(folder.stderr, /is a folder without saved_model\.pb/);
});
