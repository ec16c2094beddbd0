/**
 * torch's own model forms, made with torch in the test: a torch.export program
 * (.pt2, torch.export.save) and a Python factory file (build() + INPUTS). Both
 * declare their inputs, which the session reports; bad files are clear errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import torch from '../src/runtimes/torch.js';
import { skipTorch as skip, python } from './torch-helpers.js';
import { tempDir } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';

const dir = tempDir();
const factory = join(dir, 'model.py');
writeFileSync(factory, [
  'import torch',
  'INPUTS = [{"name": "x", "dtype": "float32", "shape": ["batch", 3]}]',
  'class M(torch.nn.Module):',
  '    def forward(self, x):',
  '        return torch.relu(x * 2.0 + 1.0)',
  'def build():',
  '    return M()',
  '',
].join('\n'));
const x = { dtype: 'float32' as const, shape: [2, 3], data: Float32Array.of(-1, 0, 1, 2, -3, 0.5) };
const expected = [0, 1, 3, 5, 0, 2];

test('a Python factory file runs in every mode, its INPUTS become the session inputs', { skip }, async () => {
  for (const mode of ['eager', 'torchscript']) {
    const session = await torch.createSession({ path: factory }, { provider: 'cpu', settings: { mode } });
    try {
      assert.deepEqual(session.inputs, [{ name: 'x', dtype: 'float32', shape: ['batch', 3] }]);
      const out = await session.readOutputs(await session.run(session.prepare({ x })));
      assert.deepEqual([...Object.values(out)[0].data], expected, mode);
    } finally {
      await session.dispose();
    }
  }
});

test('a factory file without INPUTS or build() is refused with what it must define', { skip }, async () => {
  const noInputs = join(dir, 'no-inputs.py');
  writeFileSync(noInputs, 'import torch\ndef build():\n    return torch.nn.ReLU()\n');
  await assert.rejects(torch.createSession({ path: noInputs }, { provider: 'cpu', settings: {} }), /defines no INPUTS list; a factory file defines build\(\)/);
  const noBuild = join(dir, 'no-build.py');
  writeFileSync(noBuild, 'INPUTS = [{"name": "x", "dtype": "float32", "shape": [1]}]\n');
  await assert.rejects(torch.createSession({ path: noBuild }, { provider: 'cpu', settings: {} }), /defines no build\(\) function/);
  await assert.rejects(torch.createSession({ bytes: new Uint8Array(4) }, { provider: 'cpu', settings: { format: 'factory' } }), /format factory needs the path of a \.py file/);
});

test('a torch.export program (.pt2) runs with a dynamic batch; mode torchscript is refused for it', { skip }, async () => {
  const pt2 = join(dir, 'relu.pt2');
  execFileSync(python, ['-B', '-c', [
    'import importlib.util, torch',
    `spec = importlib.util.spec_from_file_location("m", ${JSON.stringify(factory)})`,
    'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
    'batch = torch.export.Dim("batch")',
    'ep = torch.export.export(m.build(), (torch.zeros(2, 3),), dynamic_shapes={"x": {0: batch}})',
    `torch.export.save(ep, ${JSON.stringify(pt2)})`,
  ].join('\n')]);
  const session = await torch.createSession({ path: pt2 }, { provider: 'cpu', settings: {} });
  try {
    assert.deepEqual(session.inputs, [{ name: 'x', dtype: 'float32', shape: ['batch', 3] }]);
    const out = await session.readOutputs(await session.run(session.prepare({ x })));
    assert.deepEqual([...Object.values(out)[0].data], expected);
  } finally {
    await session.dispose();
  }
  await assert.rejects(torch.createSession({ path: pt2 }, { provider: 'cpu', settings: { mode: 'torchscript' } }), /mode torchscript does not apply to a torch\.export program/);

  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', pt2, '--runtime', 'torch', '--shape', 'x=1,3', '--batch', '4', '--min-time', '50ms', '--out', out, '-q']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [trial] = readJsonl(out).results;
  assert.equal(trial.status, 'ok');
  assert.deepEqual(trial.inputShapes, { x: [4, 3] });
});
