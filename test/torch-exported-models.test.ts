/**
 * Networks written by torch.onnx.export, as users bring them (dynamic axes with odd
 * symbolic names, constant folding off, Shape->Gather->Unsqueeze->Concat->Reshape
 * chains): each runs on every runtime through load().predict() and agrees with
 * torch's own outputs. Needs a Python with torch (Debian's python3-torch, installed
 * by scripts/setup-system.sh, or INFERMARK_PYTHON): without one this test fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from '../src/api/load.js';
import { readTensorFile } from '../src/onnx/tensor-file.js';
import { findTorch } from '../src/runtimes/torch/python.js';
import type { HostTensor, Tensor } from '../src/core/tensors.js';
import { tempDir } from './helpers/models.js';

const RUNTIMES = ['ort-node', 'ort-web', 'tfjs', 'torch'];
const SCRIPT = fileURLToPath(new URL('../../test/fixtures/export_torch_models.py', import.meta.url));

const found = await findTorch();
const dir = tempDir('infermark-export-');
if (found.ok) execFileSync(found.probe.python, ['-B', SCRIPT, dir], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });

const npy = (name: string): HostTensor => readTensorFile(join(dir, `${name}.npy`), 'float32');

function assertClose(got: Tensor, want: HostTensor, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) {
    const w = Number(want.data[i]);
    worst = Math.max(worst, Math.abs(Number(got.data[i]) - w) / (1e-4 + 1e-3 * Math.abs(w)));
  }
  assert.ok(worst <= 1, `${what}: differs from torch by ${worst.toFixed(2)}x the tolerance (1e-4 + 1e-3|x|)`);
}

test('a Python with torch is there to export the models', () => {
  assert.ok(found.ok, found.ok ? '' : found.reason);
});

for (const runtime of RUNTIMES) {
  test(`exported ResNet (dynamic N_imgs, H.px, W.px) on ${runtime} agrees with torch`, async () => {
    const model = await load(join(dir, 'resnet.onnx'), { runtime });
    try {
      assert.deepEqual(model.inputs[0].shape, ['N_imgs', 3, 'H.px', 'W.px']);
      const out = await model.predict({ images: npy('resnet.images') });
      assertClose(out.logits, npy('resnet.logits'), `${runtime} logits`);
    } finally {
      await model.dispose();
    }
  });

  test(`exported transformer encoder (bsz, seq_len_dyn) on ${runtime} agrees with torch`, async () => {
    const model = await load(join(dir, 'encoder.onnx'), { runtime });
    try {
      const ids = readTensorFile(join(dir, 'encoder.ids.npy'), 'int64');
      const mask = readTensorFile(join(dir, 'encoder.mask.npy'), 'int64');
      const out = await model.predict({ ids, mask });
      assertClose(out.hidden, npy('encoder.hidden'), `${runtime} hidden`);
      assertClose(out.pooled, npy('encoder.pooled'), `${runtime} pooled`);
    } finally {
      await model.dispose();
    }
  });
}
