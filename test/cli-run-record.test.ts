/** `run` records every trial in the database (an SQLite file or PostgreSQL), writes a report and ends with a recommendation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addModelBytes, writeModel } from './helpers/models.js';
import { tempDir } from './fixtures/fixture.js';
import { runCli } from './helpers/cli.js';
import { BACKENDS, freshDb } from './helpers/store-backends.js';

for (const backend of BACKENDS) {
  test(`${backend}: a run is recorded, reported, and recommends a configuration`, (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const dir = tempDir(t);
    const model = writeModel(dir, 'add.onnx', addModelBytes());
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
    const runs = JSON.parse(runCli(['runs', '--db', db, '--json']).stdout) as { id: string; trialCount: number; endedAt?: string }[];
    assert.deepEqual(runs.map((x) => [x.id, x.trialCount]), [[out.runId, 2]]);
    assert.ok(runs[0].endedAt, 'the run is closed');
    const exported = runCli(['export', out.runId, '--format', 'jsonl', '--db', db]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.deepEqual(exported.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { status: string }).status), ['ok', 'ok']);

    const md = runCli(['run', model, '--runtime', 'fake', '--min-time', '50ms', '--no-db', '--db', db, '--report', join(dir, 'r.md'), '-q']);
    assert.equal(md.code, 0, md.stderr);
    assert.match(readFileSync(join(dir, 'r.md'), 'utf8'), /\|/);
    assert.match(md.stdout, /Recommendation for .*add\.onnx/);
    assert.equal((JSON.parse(runCli(['runs', '--db', db, '--json']).stdout) as unknown[]).length, 1, '--no-db records nothing');
  });
}
