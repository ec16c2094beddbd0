/** A TorchScript file through `run`: torch runs it with --shape; any other runtime is a clear input error. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { skipTorch as skip, python } from './torch-helpers.js';
import { tempDir } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';

test('run takes a TorchScript file on torch and refuses it elsewhere', { skip }, () => {
  const dir = tempDir();
  const pt = join(dir, 'tiny.pt');
  execFileSync(python, ['-B', '-c', [
    'import torch',
    'class M(torch.nn.Module):',
    '    def forward(self, x):',
    '        return torch.relu(x * 2.0 + 1.0)',
    `torch.jit.save(torch.jit.trace(M(), torch.zeros(2, 3)), ${JSON.stringify(pt)})`,
  ].join('\n')]);
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', pt, '--runtime', 'torch', '--shape', 'x=1,3', '--batch', '2', '--min-time', '100ms', '--out', out, '-q']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [trial] = readJsonl(out).results;
  assert.equal(trial.status, 'ok');
  assert.deepEqual(trial.inputShapes, { x: [2, 3] });

  const other = runCli(['run', pt, '--runtime', 'ort-node', '--shape', 'x=1,3', '-q']);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /is a TorchScript file, which only the torch runtime reads/);
  const noShape = runCli(['run', pt, '--runtime', 'torch', '-q']);
  assert.equal(noShape.code, 2);
  assert.match(noShape.stderr, /is a TorchScript file, whose input shapes infermark does not read; give each input's shape with --shape NAME=/);
});
