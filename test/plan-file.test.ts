import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlan, PlanError } from '../src/plan/load.js';
import { planEntries } from '../src/plan/to-options.js';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

const zoo = ['resnet50', 'resnet-tiny'];

function planFile(dir: string, text: string, name = 'plan.yaml'): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test('a valid plan expands into entries with top-level defaults and per-entry overrides', () => {
  const dir = tempDir();
  writeModel(dir, 'add.onnx', addModelBytes());
  const plan = loadPlan(planFile(dir, `
name: study
models: [add.onnx]
runtimes: [ort-node, ort-web]
settings: { intraOpNumThreads: [1, 2] }
batch: [1, 8]
repeat: 2
stopping: { minTime: 500ms, targetCi: 3% }
entries:
  - name: small
  - name: scan
    batch: { scan: { max: 64, threshold: 10% } }
    scenarios: [offline]
`), zoo);
  const entries = planEntries(plan);
  assert.equal(entries.length, 2);
  assert.deepEqual(entries[0].bench.batchSizes, [1, 8]);
  assert.equal(entries[0].bench.repeat, 2);
  assert.equal(entries[0].bench.stopping?.minTimeMs, 500);
  assert.equal(entries[0].bench.stopping?.targetCiRel, 0.03);
  assert.deepEqual(entries[0].bench.model, [join(dir, 'add.onnx')], 'paths are relative to the plan file');
  assert.deepEqual(entries[1].scan, { from: 1, max: 64, threshold: 0.1 });
  assert.deepEqual(entries[1].bench.scenarios, ['offline']);
});

test('an invalid plan lists every error with its path, and nothing runs', () => {
  const dir = tempDir();
  const path = planFile(dir, `
models: [zoo:resnet9000, missing.onnx]
runtimes: [ort-node, tensorflow-9]
settings: { intraOpNumThreads: [] }
batch: [0]
scenarios: [single-stream, burst]
repet: 3
`);
  let err: PlanError | undefined;
  try { loadPlan(path, zoo); } catch (e) { err = e as PlanError; }
  assert.ok(err instanceof PlanError, 'a PlanError');
  const text = err.errors.join('\n');
  assert.match(text, /\/: unknown key "repet"/);
  assert.match(text, /\/batch/);
  assert.match(text, /\/scenarios\/1: must be one of single-stream, offline, server, ensemble/);
  assert.match(text, /\/settings\/intraOpNumThreads/);

  // Schema-valid but naming things that do not exist:
  const names = planFile(dir, 'models: [zoo:resnet9000, missing.onnx]\nruntimes: [ort-node, tensorflow-9]\n', 'names.yaml');
  try { loadPlan(names, zoo); assert.fail('should throw'); } catch (e) {
    const t = (e as PlanError).errors.join('\n');
    assert.match(t, /\/models\/0: unknown zoo model "zoo:resnet9000"; zoo models: resnet50, resnet-tiny/);
    assert.match(t, /\/models\/1: model file "missing.onnx" does not exist/);
    assert.match(t, /\/runtimes\/1: unknown runtime "tensorflow-9"/);
  }

  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', path, '--out', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /plan .* is invalid \(\d+ errors\); nothing was run/);
});

test('--dry-run prints the expanded trials and an estimated duration; flags override the plan', () => {
  const dir = tempDir();
  writeModel(dir, 'add.onnx', addModelBytes());
  const path = planFile(dir, 'models: [add.onnx]\nruntimes: [fake]\nbatch: [1, 2, 4]\nsettings: { latencyMs: [1, 2] }\n');
  const r = runCli(['run', path, '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /6 trial\(s\); estimated duration \d+s to \d+m/);
  const over = runCli(['run', path, '--dry-run', '--batch', '8']);
  assert.match(over.stdout, /2 trial\(s\)/);
  const schema = runCli(['plan', '--schema']);
  assert.equal(JSON.parse(schema.stdout).title, 'infermark plan');
});

test('the example plans in the README are valid', () => {
  for (const name of ['frameworks-study.yaml', 'server-and-ensemble.yaml', 'cnn-batch-study-small.yaml', 'energy-study-small.yaml']) {
    const r = runCli(['plan', '--check', join(process.cwd(), 'examples', name)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valid/);
  }
  const dry = runCli(['run', join(process.cwd(), 'examples', 'server-and-ensemble.yaml'), '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /server/);
  assert.match(dry.stdout, /ensemble:zoo:resnet-tiny\+zoo:densenet-tiny\+zoo:vgg-tiny/);
});
