/** `run` records every trial in the database, writes a report and ends with a recommendation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

test('a run is recorded, reported, and recommends a configuration', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const db = join(dir, 'results.db');
  const html = join(dir, 'report.html');
  // The fake runtime spins in CPU time: on a busy machine its latency spreads, so the precision asked is loose enough to be reached.
  const r = runCli(['run', model, '--runtime', 'fake', '--set', 'latencyMs=1,3', '--min-time', '50ms', '--max-time', '5s', '--target-ci', '25%', '--db', db, '--report', html, '--json', '-q']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { runId: string; results: unknown[]; recommendation: { models: { objectives: { objective: string; winner?: { label: string } }[] }[] } };
  assert.equal(out.results.length, 2);
  const throughput = out.recommendation.models[0].objectives.find((o) => o.objective === 'throughput');
  assert.match(throughput?.winner?.label ?? '', /latencyMs=1/);
  assert.ok(existsSync(html));
  assert.match(readFileSync(html, 'utf8'), /add\.onnx/);
  const runs = JSON.parse(runCli(['runs', '--db', db, '--json']).stdout) as { id: string; trialCount: number }[];
  assert.deepEqual(runs.map((x) => [x.id, x.trialCount]), [[out.runId, 2]]);

  const md = runCli(['run', model, '--runtime', 'fake', '--min-time', '50ms', '--no-db', '--report', join(dir, 'r.md'), '-q']);
  assert.equal(md.code, 0, md.stderr);
  assert.match(readFileSync(join(dir, 'r.md'), 'utf8'), /\|/);
  assert.match(md.stdout, /Recommendation for .*add\.onnx/);
  assert.equal((JSON.parse(runCli(['runs', '--db', db, '--json']).stdout) as unknown[]).length, 1, '--no-db records nothing');
});
