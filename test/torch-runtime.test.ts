/**
 * The torch runtime through its public Runtime/Session interface: availability
 * and versions, a session on an ONNX model (run, measureLoop inside the worker,
 * dispose), TorchScript files (a good one, and a file that is not one), and a
 * session whose worker crashed never serving again.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import torch from '../src/runtimes/torch.js';
import { RUNTIMES } from '../src/runtimes/registry.js';
import type { HostTensor, StoppingRule } from '../src/runtimes/runtime.js';
import type { WorkerSession } from '../src/runtimes/python-worker/worker-session.js';
import { found, modelBytes, python, randomFloats, runOrt, skipTorch, assertClose, type GraphSpec } from './torch-helpers.js';

const skip = skipTorch;
const tmp = mkdtempSync(join(tmpdir(), 'infermark-torch-runtime-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const spec: GraphSpec = {
  nodes: [
    { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
    { op: 'Relu', inputs: ['c'], outputs: ['r'] },
    { op: 'GlobalAveragePool', inputs: ['r'], outputs: ['y'] },
  ],
  inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 3, 8, 8] }],
  initializers: { w: randomFloats([4, 3, 3, 3], 1) },
  outputs: [{ name: 'y', dtype: 'float32' }],
};
const rule: StoppingRule = { warmupRuns: 2, minSamples: 10, minTimeMs: 20, maxTimeMs: 2000, targetCiRel: 0.5, maxSamples: 200 };

test('the registry lists torch; availability and versions say what is here', async () => {
  assert.ok(RUNTIMES.torch, 'registry entry');
  assert.equal((await RUNTIMES.torch.load()).name, 'torch');
  const providers = await torch.availability();
  assert.deepEqual(providers.map((p) => p.name), ['cpu', 'cuda']);
  if (!found.ok) {
    assert.equal(providers[0].available, false);
    assert.match(providers[0].reason!, /setup-python.sh|INFERMARK_PYTHON/);
    return;
  }
  assert.equal(providers[0].available, true);
  if (!providers[1].available) assert.match(providers[1].reason!, /CUDA|cuda/);
  const versions = await torch.versions();
  assert.match(versions.torch, /^\d+\.\d+/);
  assert.match(versions.python, /^3\.\d+/);
});

test('a session runs an ONNX model like onnxruntime, measures inside the worker; the next session reuses the worker', { skip }, async () => {
  const bytes = modelBytes(spec);
  const session = await torch.createSession({ bytes }, { provider: 'cpu', settings: { threads: 1 } }) as WorkerSession;
  type Held = { worker: { child: { pid?: number; exitCode: number | null; signalCode: string | null } } };
  const worker = (session as unknown as Held).worker;
  try {
    assert.deepEqual(session.inputs.map((i) => i.name), ['x']);
    assert.deepEqual(session.outputs.map((o) => o.name), ['y']);
    const feeds = { x: randomFloats([2, 3, 8, 8], 2) };
    const prepared = session.prepare(feeds);
    const out = await session.readOutputs(await session.run(prepared));
    assertClose(out.y, (await runOrt(bytes, feeds)).y, 'y');

    const m = await session.measureLoop!(prepared, rule);
    assert.ok(m.samplesMs.length >= rule.minSamples && m.samplesMs.length <= rule.maxSamples, `sample count ${m.samplesMs.length}`);
    assert.ok(m.samplesMs.every((s) => Number.isFinite(s) && s > 0), 'samples are positive milliseconds');
    assert.equal(m.warmupRuns, 2);
    assert.ok(m.firstInferenceMs > 0 && m.measuredS > 0 && m.timerOverheadMs >= 0 && m.timerResolutionMs > 0);
    assert.equal(typeof m.converged, 'boolean');
  } finally {
    await session.dispose();
  }
  assert.equal(worker.child.exitCode, null, 'dispose releases the model and leaves the shared worker running');
  const next = await torch.createSession({ bytes }, { provider: 'cpu', settings: { threads: 2 } });
  try {
    assert.equal((next as unknown as Held).worker.child.pid, worker.child.pid, 'the next session runs in the same worker');
    const out = await next.readOutputs(await next.run(next.prepare({ x: randomFloats([1, 3, 8, 8], 4) })));
    assert.deepEqual(out.y.shape, [1, 4, 1, 1]);
  } finally {
    await next.dispose();
  }
});

test('TorchScript: a traced module file runs; a file that is not TorchScript is a clear error', { skip }, async () => {
  const pt = join(tmp, 'tiny.pt');
  const badZip = join(tmp, 'bad.pt');
  execFileSync(python, ['-B', '-c', [
    'import zipfile, torch',
    `with zipfile.ZipFile(${JSON.stringify(badZip)}, "w") as z: z.writestr("hello.txt", "a zip archive, but not TorchScript")`,
    'class M(torch.nn.Module):',
    '    def forward(self, x):',
    '        return torch.relu(x * 2.0 + 1.0)',
    `torch.jit.save(torch.jit.trace(M(), torch.zeros(2, 3)), ${JSON.stringify(pt)})`,
  ].join('\n')]);
  for (const mode of ['eager', 'torchscript']) {
    const session = await torch.createSession({ path: pt }, { provider: 'cpu', settings: { mode } });
    try {
      assert.deepEqual(session.inputs.map((i) => i.name), ['x']);
      const out = await session.readOutputs(await session.run(session.prepare({ x: { dtype: 'float32', shape: [2, 3], data: Float32Array.of(-1, 0, 1, 2, -3, 0.5) } })));
      assert.deepEqual([...Object.values(out)[0].data], [0, 1, 3, 5, 0, 2]);
    } finally {
      await session.dispose();
    }
  }
  const notTs = join(tmp, 'not-torchscript.pt');
  writeFileSync(notTs, 'just some text, not a zip archive\n');
  await assert.rejects(torch.createSession({ path: notTs }, { provider: 'cpu', settings: { format: 'torchscript' } }),
    /not a TorchScript file \(TorchScript files are zip archives written by torch\.jit\.save\)/);
  await assert.rejects(torch.createSession({ path: badZip }, { provider: 'cpu', settings: {} }), /could not be read as TorchScript by torch/);
});

test('mode compile (torch.compile, inductor) runs the imported graph, agrees with eager, and times its cold and warm compile', { skip }, async () => {
  assert.ok(found.ok && found.probe.compile, `the project's torch has torch.compile: ${found.ok ? found.probe.compileReason : found.reason}`);
  const bytes = modelBytes(spec);
  const x = randomFloats([2, 3, 8, 8], 11);
  const outputs: Record<string, HostTensor> = {};
  let compiled: WorkerSession | undefined;
  for (const mode of ['eager', 'compile']) {
    const session = await torch.createSession({ bytes }, { provider: 'cpu', settings: { mode } }) as WorkerSession;
    try {
      const out = await session.readOutputs(await session.run(session.prepare({ x })));
      outputs[mode] = out.y;
      assert.equal(session.compile === undefined, mode === 'eager', `${mode}: a cold compile time exactly when torch.compile ran`);
    } finally {
      await session.dispose();
    }
    if (mode === 'compile') compiled = session;
  }
  assertClose(outputs.compile, outputs.eager, 'compile against eager');
  assert.ok(compiled!.compile!.coldMs > 0 && compiled!.compile!.warmMs! > 0, `cold and warm compile times: ${JSON.stringify(compiled!.compile)}`);
});

test('an unsupported operator fails the load with its name; a crashed worker fails its session, the next session gets a fresh one', { skip }, async () => {
  const bad = modelBytes({ nodes: [{ op: 'StringNormalizer', inputs: ['x'], outputs: ['y'] }], inputs: [{ name: 'x', dtype: 'float32', shape: [2] }], outputs: [{ name: 'y', dtype: 'float32' }] });
  await assert.rejects(torch.createSession({ bytes: bad }, { provider: 'cpu', settings: {} }), /torch cannot run operator StringNormalizer \(opset 17\): not implemented/);

  const bytes = modelBytes(spec);
  const first = await torch.createSession({ bytes }, { provider: 'cpu', settings: {} });
  const prepared = first.prepare({ x: randomFloats([1, 3, 8, 8], 3) });
  (first as unknown as { worker: { kill(): void } }).worker.kill();
  await assert.rejects(first.run(prepared), /torch worker exited \(signal SIGKILL\)/);
  await assert.rejects(first.run(prepared), /torch worker exited/, 'a crashed worker is never reused');
  await first.dispose();
  const second = await torch.createSession({ bytes }, { provider: 'cpu', settings: {} });
  try {
    const out = await second.readOutputs(await second.run(second.prepare({ x: randomFloats([1, 3, 8, 8], 3) })));
    assert.deepEqual(out.y.shape, [1, 4, 1, 1]);
  } finally {
    await second.dispose();
  }
});

test('CUDA sessions compute FP32 unless tf32 is asked for: torch itself lets cuDNN convolutions use TF32', { skip }, () => {
  // Run in a fresh python: the flags are process-wide, and no GPU is needed to read or set them.
  const script = [
    'import sys, torch',
    'sys.path.insert(0, "python")',
    'from infermark_torch.model import set_tf32',
    'm, c = torch.backends.cuda.matmul, torch.backends.cudnn',
    'tf32_by_default = getattr(c, "conv", None) is not None and c.conv.fp32_precision == "tf32" or c.allow_tf32',
    'def read():',
    '    if hasattr(m, "fp32_precision"): return [m.fp32_precision, c.conv.fp32_precision, c.rnn.fp32_precision]',
    '    return [m.allow_tf32, c.allow_tf32]',
    'set_tf32(False); off = read()',
    'set_tf32(True); on = read()',
    'print(tf32_by_default, off, on)',
  ].join('\n');
  const out = execFileSync(python, ['-B', '-c', script], { encoding: 'utf8' }).trim();
  const [byDefault, off, on] = /^(True|False) (\[.*\]) (\[.*\])$/.exec(out)!.slice(1);
  assert.equal(byDefault, 'True', 'torch turns TF32 on for cuDNN convolutions; infermark must turn it off');
  assert.ok(!/tf32|True/.test(off), `set_tf32(False) leaves every flag FP32: ${off}`);
  assert.ok(!/ieee|False/.test(on), `set_tf32(True) sets every flag to TF32: ${on}`);
  assert.ok(torch.settings.some((s) => s.name === 'tf32' && s.default === false), 'the tf32 setting, off by default');
});
