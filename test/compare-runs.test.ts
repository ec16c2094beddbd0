import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compareRuns } from '../src/analysis/compare.js';
import { formatComparison } from '../src/analysis/format-comparison.js';
import { parseThreshold } from '../src/cli/commands/compare.js';
import { openStore } from '../src/store/store.js';
import type { FailedTrial } from '../src/results/types.js';
import { samplesAround, synthTrial } from './fixtures/synthetic.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './fixtures/fixture.js';

test('a known 20% slowdown is a significant regression with a CI around 1.2', () => {
  const a = [synthTrial({ samplesMs: samplesAround(10, 200, 1) })];
  const b = [synthTrial({ samplesMs: samplesAround(12, 200, 2) })];
  const c = compareRuns(a, b, { thresholdPct: 5 });
  assert.equal(c.rows.length, 1);
  const r = c.rows[0];
  assert.ok(r.ratioLow < 1.2 && r.ratioHigh > 1.2 - 0.02 && r.ratioLow > 1.1, `CI ${r.ratioLow}..${r.ratioHigh}`);
  assert.ok(r.pValue < 0.001);
  assert.equal(r.verdict, 'regression');
  assert.equal(c.regressions, 1);
  assert.match(formatComparison(c, { baseline: 'A', candidate: 'B' }), /REGRESSION/);
});

test('the same distribution twice is unchanged, and an improvement is an improvement', () => {
  const a = [synthTrial({ samplesMs: samplesAround(10, 200, 1) })];
  const same = [synthTrial({ samplesMs: samplesAround(10, 200, 99) })];
  const none = compareRuns(a, same);
  assert.equal(none.rows[0].verdict, 'unchanged');
  assert.ok(none.rows[0].ratioLow <= 1 && none.rows[0].ratioHigh >= 1);
  assert.ok(none.rows[0].pValue > 0.05);
  assert.equal(none.regressions, 0);
  const faster = compareRuns(a, [synthTrial({ samplesMs: samplesAround(8, 200, 3) })]);
  assert.equal(faster.rows[0].verdict, 'improvement');
});

test('a significant change below the threshold is not flagged; a large noisy one is inconclusive', () => {
  const a = [synthTrial({ samplesMs: samplesAround(10, 2000, 1, 0.01) })];
  const small = compareRuns(a, [synthTrial({ samplesMs: samplesAround(10.2, 2000, 2, 0.01) })], { thresholdPct: 5 });
  assert.equal(small.rows[0].significant, true);
  assert.equal(small.rows[0].verdict, 'unchanged');
  const noisyA = [synthTrial({ samplesMs: samplesAround(10, 5, 1, 0.9) })];
  const noisyB = [synthTrial({ samplesMs: samplesAround(11, 5, 2, 0.9) })];
  assert.equal(compareRuns(noisyA, noisyB).rows[0].verdict, 'inconclusive');
});

test('configurations in one run only, and failed ones, are listed, not compared', () => {
  const a = [synthTrial({ runtime: 'x', samplesMs: [1, 2, 3] }), synthTrial({ runtime: 'gone', samplesMs: [1, 2, 3] })];
  const failed: FailedTrial = { ...a[0], status: 'failed', error: { kind: 'crash', message: 'boom' } } as unknown as FailedTrial;
  const b = [failed, synthTrial({ runtime: 'new', samplesMs: [1, 2, 3] })];
  const c = compareRuns(a, b);
  assert.equal(c.rows.length, 0);
  assert.deepEqual(c.notCompared, [{ label: 'model.onnx: x/cpu batch=1', reason: 'candidate failed: boom' }]);
  assert.deepEqual(c.onlyInBaseline, ['model.onnx: gone/cpu batch=1']);
  assert.deepEqual(c.onlyInCandidate, ['model.onnx: new/cpu batch=1']);
});

test('when only the model file changed, configurations are matched by name', () => {
  const a = [synthTrial({ samplesMs: samplesAround(10, 100, 1), key: 'k1' })];
  const b = [synthTrial({ samplesMs: samplesAround(10, 100, 2), key: 'k2' })];
  const c = compareRuns(a, b);
  assert.equal(c.rows.length, 1);
  assert.equal(c.rows[0].matchedBy, 'configuration');
});

test('thresholds parse as percentages', () => {
  assert.equal(parseThreshold('5%'), 5);
  assert.equal(parseThreshold('2.5'), 2.5);
  assert.throws(() => parseThreshold('five'), /--threshold/);
});

test('compare --fail-on-regression exits 1 on a regression and 0 without', (t) => {
  const db = join(tempDir(t), 'r.db');
  const store = openStore(db);
  const ids = [10, 10, 13].map((center, i) => {
    const id = store.beginRun({ toolVersion: '0.1.0', startedAt: `2025-01-0${i + 1}T00:00:00.000Z` });
    store.addTrial(id, synthTrial({ samplesMs: samplesAround(center, 150, i + 1) }));
    store.endRun(id);
    return id;
  });
  store.close();
  const same = runCli(['compare', ids[0], ids[1], '--db', db, '--fail-on-regression']);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /unchanged/);
  const slower = runCli(['compare', ids[0], ids[2], '--db', db, '--fail-on-regression', '--threshold', '10%']);
  assert.equal(slower.code, 1, slower.stderr);
  assert.match(slower.stdout, /REGRESSION/);
  const json = runCli(['compare', ids[0], ids[2], '--db', db, '--json']);
  assert.equal(json.code, 0, 'without --fail-on-regression a regression is reported, not failed');
  assert.equal(JSON.parse(json.stdout).regressions, 1);
  const unknown = runCli(['compare', ids[0], 'nope', '--db', db]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown run "nope"; nearest: /);
});
