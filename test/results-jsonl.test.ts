import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonlWriter, readJsonl, resumeId } from '../src/results/jsonl.js';
import type { TrialResult } from '../src/results/types.js';
import { tempDir } from './helpers/models.js';
import { resultProblem } from '../src/results/well-formed.js';
import { synthTrial } from './fixtures/synthetic.js';

const skipped = (key: string): TrialResult => ({
  status: 'skipped', key, runtime: 'fake', provider: 'cpu', settings: {}, batchSize: 1, scenario: 'single-stream',
  model: { path: 'm.onnx', sha256: 'x' }, reason: 'test', warnings: [],
});

test('a line cut short by a kill is ignored, and the next record starts on a fresh line', () => {
  const path = join(tempDir(), 'r.jsonl');
  const w = new JsonlWriter(path);
  w.append(skipped('a'));
  w.close();
  appendFileSync(path, '{"status":"ok","key":"b","runt');
  const w2 = new JsonlWriter(path);
  w2.append(skipped('c'));
  w2.close();
  const read = readJsonl(path);
  assert.deepEqual(read.results.map((r) => r.key), ['a', 'c']);
  assert.equal(read.badLines, 1);
  assert.ok(readFileSync(path, 'utf8').endsWith('\n'));
});

test('resume ids tell repetitions apart', () => {
  assert.notEqual(resumeId({ key: 'k', repetition: 0 }), resumeId({ key: 'k', repetition: 1 }));
  assert.equal(resumeId({ key: 'k' }), resumeId({ key: 'k', repetition: 0 }));
});

test('a missing file reads as empty', () => {
  assert.deepEqual(readJsonl(join(tempDir(), 'none.jsonl')), { results: [], badLines: 0 });
});

test('a line that is JSON but not a usable result is skipped and named: a stranger\'s file cannot crash a report later', () => {
  const path = join(tempDir(), 'r.jsonl');
  const ok = synthTrial({ samplesMs: [10, 11, 12] });
  const noLatency: Record<string, unknown> = { ...ok };
  delete noLatency.latencyMs;
  const lines = [skipped('a'), noLatency, { ...ok, settings: null }, { ...ok, batchSize: 0 }, { ...ok, throughputPerS: 'fast' }, { ...skipped('b'), status: 'done' }, ok];
  appendFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const read = readJsonl(path);
  assert.deepEqual(read.results.map((r) => r.key), ['a', ok.key]);
  assert.equal(read.badLines, 5);
  assert.equal(read.firstProblem, 'line 2: an ok result needs latencyMs');
  assert.equal(resultProblem({ ...ok, settings: null }), 'settings must be an object of strings, numbers and booleans');
  assert.equal(resultProblem({ ...ok, batchSize: 0 }), 'batchSize must be a positive integer');
  assert.equal(resultProblem({ ...ok, latencyMs: { ...ok.latencyMs, p99: null } }), 'latencyMs.p99 must be a number');
  assert.equal(resultProblem({ ...skipped('b'), status: 'done' }), 'status "done" is not ok, failed or skipped');
  assert.equal(resultProblem({ ...skipped('b'), status: 'failed' }), 'a failed result needs error.message');
});
