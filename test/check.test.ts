/** `infermark check`: per runtime, what blocks a model; `run` fails such a trial early with that reason. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from '../src/onnx/read.js';
import { addModelBytes, tempDir, unknownOpModelBytes, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function vi(name: string, elemType: number, dims: (number | string)[]) {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}

/** DFT (opset 17): onnxruntime has a kernel, the TensorFlow.js importer does not. */
function dftModelBytes(): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8, producerName: 'infermark-test', opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'dft',
      node: [{ opType: 'DFT', input: ['x'], output: ['y'], name: 'dft' }],
      input: [vi('x', FLOAT, ['batch', 8, 1])],
      output: [vi('y', FLOAT, ['batch', 8, 2])],
    },
  }).finish();
}

/** An identity on strings: a type infermark's tensors cannot carry, and a sequence output. */
function oddTypesModelBytes(): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8, producerName: 'infermark-test', opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'odd',
      node: [{ opType: 'Identity', input: ['x'], output: ['y'], name: 'id' }, { opType: 'SequenceConstruct', input: ['x'], output: ['s'], name: 'seq' }],
      input: [vi('x', onnx.TensorProto.DataType.STRING, [4])],
      output: [vi('y', onnx.TensorProto.DataType.STRING, [4]), { name: 's', type: { sequenceType: { elemType: { tensorType: { elemType: onnx.TensorProto.DataType.STRING } } } } }],
    },
  }).finish();
}

const dir = tempDir();
const dft = writeModel(dir, 'dft.onnx', dftModelBytes());

interface Verdict { runtime: string; status: string; blockers: { kind: string; subject: string; reason: string }[] }

function check(model: string, runtimes: string): { code: number | null; verdicts: Record<string, Verdict>; stdout: string } {
  const r = runCli(['check', model, '--runtime', runtimes, '--json'], { timeoutMs: 120_000 });
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const report = JSON.parse(r.stdout) as { runtimes: Verdict[] };
  return { code: r.code, verdicts: Object.fromEntries(report.runtimes.map((v) => [v.runtime, v])), stdout: r.stdout };
}

test('check names the operator and opset the tfjs importer lacks, and lets onnxruntime run it', () => {
  const { code, verdicts } = check(dft, 'ort-node,tfjs');
  assert.equal(code, 1);
  assert.equal(verdicts['ort-node'].status, 'runs');
  assert.equal(verdicts.tfjs.status, 'blocked');
  assert.deepEqual(verdicts.tfjs.blockers.map((b) => b.reason), ['tfjs cannot run operator DFT (opset 17): not implemented']);
});

test('check passes a model every runtime can run, with exit 0 and a text report', () => {
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const r = runCli(['check', model, '--runtime', 'ort-node,ort-web,tfjs'], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Add×1/);
  assert.equal(r.stdout.match(/can run this model/g)?.length, 3);
});

test("check reports onnxruntime's own refusal and a custom-domain operator", () => {
  const model = writeModel(dir, 'unknown.onnx', unknownOpModelBytes());
  const { verdicts } = check(model, 'ort-node,tfjs,torch');
  assert.equal(verdicts['ort-node'].status, 'blocked');
  // torch answers from the importer's own registry, asked of the Python that hosts its worker.
  assert.deepEqual(verdicts.torch.blockers.map((b) => b.reason), ['torch cannot run operator NoSuchOperator (opset 17): not implemented']);
  assert.match(verdicts['ort-node'].blockers[0].reason, /NoSuchOperator/);
  assert.match(verdicts.tfjs.blockers[0].reason, /^tfjs cannot run operator NoSuchOperator \(opset 17\): not implemented$/);
});

test('check names types and value kinds a runtime cannot carry', () => {
  const model = writeModel(dir, 'odd.onnx', oddTypesModelBytes());
  const { verdicts } = check(model, 'ort-node');
  const reasons = verdicts['ort-node'].blockers.map((b) => b.reason);
  // onnxruntime carries string tensors: only the sequence blocks it.
  assert.ok(!reasons.some((r) => r.startsWith('input x')), reasons.join('\n'));
  assert.ok(reasons.includes('output s is a sequence: not supported by ort-node (tensor inputs and outputs only)'), reasons.join('\n'));
});

test('run fails the tfjs trial early with the operator it lacks; the onnxruntime trial goes on', () => {
  const out = join(dir, 'dft.jsonl');
  const r = runCli(['run', dft, '--runtime', 'ort-node,tfjs', '--out', out, '--min-time', '50ms', '--max-time', '1s', '--min-samples', '5', '--warmup', '1', '-q'], { timeoutMs: 180_000 });
  assert.equal(r.code, 1, r.stderr);
  const results = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { runtime: string; status: string; error?: { message: string } });
  const byRuntime = Object.fromEntries(results.map((x) => [x.runtime, x]));
  assert.equal(byRuntime['ort-node'].status, 'ok');
  assert.equal(byRuntime.tfjs.status, 'failed');
  assert.match(byRuntime.tfjs.error!.message, /^tfjs cannot run operator DFT \(opset 17\): not implemented/);
});
