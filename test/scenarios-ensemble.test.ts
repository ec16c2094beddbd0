/** The ensemble scenario on tiny zoo models, in both modes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { readJsonl } from '../src/results/jsonl.js';
import type { OkTrial } from '../src/results/types.js';

const cache = tempDir('infermark-zoo-');
const FAST = ['--min-time', '200ms', '--max-time', '1s', '--warmup', '1', '-q'];

for (const mode of ['processes', 'sessions']) {
  test(`an ensemble of tiny zoo models co-located in ${mode} mode`, () => {
    const out = join(tempDir(), 'r.jsonl');
    const r = runCli(['run', 'zoo:resnet-tiny', 'zoo:mobilenet-tiny', 'zoo:vgg-tiny', '--runtime', 'ort-node', '--set', 'intraOpNumThreads=1',
      '--scenario', 'ensemble', '--ensemble-mode', mode, '--out', out, ...FAST], { env: { INFERMARK_CACHE_DIR: cache } });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const [trial] = readJsonl(out).results as OkTrial[];
    assert.equal(trial.status, 'ok');
    assert.equal(trial.scenario, 'ensemble');
    assert.equal(trial.model.path, 'ensemble:zoo:resnet-tiny+zoo:mobilenet-tiny+zoo:vgg-tiny');
    const e = trial.figures as {
      mode: string; members: { model: string; coLocatedMedianMs: number; aloneMedianMs: number }[];
      aggregateCoLocatedPerS: number; aggregateSequentialPerS: number;
      prediction: { shape: number[]; finite: boolean; withinMemberRange: boolean; top1AgreementWithMembers: number[] };
    };
    assert.equal(e.mode, mode);
    assert.deepEqual(e.members.map((m) => m.model), ['zoo:resnet-tiny', 'zoo:mobilenet-tiny', 'zoo:vgg-tiny']);
    assert.ok(e.members.every((m) => m.coLocatedMedianMs > 0 && m.aloneMedianMs > 0));
    assert.ok(e.aggregateCoLocatedPerS > 0 && e.aggregateSequentialPerS > 0);
    assert.equal(e.prediction.finite, true);
    assert.equal(e.prediction.withinMemberRange, true);
    assert.equal(e.prediction.top1AgreementWithMembers.length, 3);
    assert.match(r.stdout, new RegExp(`ensemble \\(${mode}\\)`));
    // A member's warning names the member it is about.
    if (mode === 'processes') for (const w of trial.warnings) assert.match(w.message, /^member zoo:[a-z-]+: /, w.message);
  });
}

test('an ensemble needs at least two members', () => {
  const r = runCli(['run', 'zoo:resnet-tiny', '--runtime', 'ort-node', '--scenario', 'ensemble', '-q'], { env: { INFERMARK_CACHE_DIR: cache } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /at least two member models/);
});
