/**
 * A run knows the process recording it (host, pid, start token; schema
 * version 4 on both backends): one whose recorder died on this host is
 * interrupted, one whose recorder lives is running, one recorded elsewhere is
 * unknown, and a run taken over by --resume (claimRun) is running again.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openResultsStore } from '../src/store/open.js';
import type { ResultsStore } from '../src/store/results-store.js';
import { currentRecorder, runState, type RecorderMark } from '../src/store/recorder.js';
import { MIGRATIONS } from '../src/store/schema.js';
import { APPLICATION_ID } from '../src/store/schema.js';
import { fixtureTrials, tempDir } from './fixtures/fixture.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { environmentSection } from '../src/report/environment-section.js';
import { runsTable } from '../src/cli/commands/runs.js';
import { freshDb } from './helpers/store-backends.js';


/** A recorder that has surely died: a process that ran and exited. */
function deadRecorder(): RecorderMark {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return { host: hostname(), pid: Number(r.stdout), token: '1' };
}

test('the state comes from the end time, the host, whether the pid lives and its start token', () => {
  const me = currentRecorder();
  assert.equal(runState('2026-01-01T00:00:00Z', deadRecorder()), 'finished');
  assert.equal(runState(undefined, me), 'running');
  assert.equal(runState(undefined, deadRecorder()), 'interrupted');
  assert.equal(runState(undefined, { ...me, host: `${hostname()}-elsewhere` }), 'unknown');
  assert.equal(runState(undefined, undefined), 'unknown');
  // Our own pid with another start time: the pid was recycled, the recorder is gone.
  if (!me.token.startsWith('r')) assert.equal(runState(undefined, { ...me, token: `${me.token}9` }), 'interrupted');
});

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`${backend}: interrupted, running, unknown and finished runs, and a resumed run taken over`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const store: ResultsStore = await openResultsStore(db);
    t.after(() => store.close());
    const trials = fixtureTrials();
    const killed = await store.beginRun({ toolVersion: '0.1.0', command: 'run a', recorder: deadRecorder() });
    for (const r of trials.slice(0, 2)) await store.addTrial(killed, r);
    const live = await store.beginRun({ toolVersion: '0.1.0', command: 'run b', recorder: currentRecorder() });
    const elsewhere = await store.beginRun({ toolVersion: '0.1.0', command: 'run c', recorder: { host: 'another-machine', pid: 1, token: '5' } });
    const imported = await store.beginRun({ toolVersion: '0.1.0', command: 'benchmark()' });
    await store.endRun(imported);

    const states = Object.fromEntries((await store.listRuns()).map((r) => [r.id, r.state]));
    assert.deepEqual(states, { [killed]: 'interrupted', [live]: 'running', [elsewhere]: 'unknown', [imported]: 'finished' });
    const got = await store.getRun(killed);
    assert.equal(got.run.state, 'interrupted');
    assert.equal(got.run.trialCount, 2);
    assert.equal(got.run.recorder?.host, hostname());
    // What runs, report (HTML and Markdown) show for it: interrupted, with the trials it kept.
    const shown = /interrupted \(its process \d+ on .+ died; it kept 2 trial\(s\); --resume continues it\)/;
    assert.match(runsTable([got.run]), shown);
    assert.match(renderMarkdown([got]), shown);
    assert.match(environmentSection([got]), shown);

    await store.claimRun(killed, currentRecorder());
    assert.equal((await store.getRun(killed)).run.state, 'running');
    await store.endRun(killed);
    assert.equal((await store.getRun(killed)).run.state, 'finished');
  });
}

test('sqlite: a version 3 database migrates to version 4 and its unended runs read as unknown', async (t) => {
  const path = join(tempDir(t), 'v3.db');
  const raw = new Database(path);
  raw.pragma(`application_id = ${APPLICATION_ID}`);
  for (const m of MIGRATIONS.filter((m) => m.version <= 3)) m.up(raw);
  raw.pragma('user_version = 3');
  raw.prepare("INSERT INTO runs (id, started_at, tool_version) VALUES ('20260101-000000-abcd', '2026-01-01T00:00:00Z', '0.1.0')").run();
  raw.close();
  const store = await openResultsStore(path);
  t.after(() => store.close());
  const runs = await store.listRuns();
  assert.deepEqual(runs.map((r) => [r.id, r.state, r.recorder]), [['20260101-000000-abcd', 'unknown', undefined]]);
  const check = new Database(path, { readonly: true });
  assert.ok(check.pragma('user_version', { simple: true }) as number >= 4);
  check.close();
});
