import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonlWriter, readJsonl, resumeId } from '../src/results/jsonl.js';
import type { TrialResult } from '../src/results/types.js';
import { tempDir } from './helpers/models.js';

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
