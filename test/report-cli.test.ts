/** runs, import, export and report through the real CLI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { FIXTURE_JSONL, fixtureTrials, tempDir } from './fixtures/fixture.js';

test('import, runs, export and report through the CLI', (t) => {
  const dir = tempDir(t, 'infermark-cli-');
  const db = join(dir, 'r.db');
  const empty = runCli(['runs', '--db', db]);
  assert.equal(empty.code, 0);
  assert.match(empty.stdout, /No runs yet/);
  assert.ok(!existsSync(db), 'listing runs does not create a database');

  const imp = runCli(['import', FIXTURE_JSONL, '--db', db]);
  assert.equal(imp.code, 0, imp.stderr);
  const runId = /as run (\S+)/.exec(imp.stdout)![1];

  const runs = runCli(['runs', '--db', db]);
  assert.match(runs.stdout, /^id\s+date \(UTC\)\s+trials\s+machine\s+plan/);
  assert.ok(runs.stdout.includes(runId) && runs.stdout.includes('21 (1 failed)') && runs.stdout.includes('ci-runner-7'));
  const json = JSON.parse(runCli(['runs', '--db', db, '--json']).stdout);
  assert.equal(json[0].id, runId);
  assert.equal(json[0].trialCount, 21);

  const csv = runCli(['export', runId, '--format', 'csv', '--db', db]);
  const lines = csv.stdout.trim().split('\r\n');
  assert.equal(lines.length, 22);
  assert.match(lines[0], /^run,model,runtime,provider,settings,batchSize,.*medianMs,.*peakRssBytes,energyPerItemJ/);

  const jsonl = join(dir, 'out.jsonl');
  assert.equal(runCli(['export', runId.slice(0, 12), '--format', 'jsonl', '-o', jsonl, '--db', db]).code, 0);
  assert.deepEqual(readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l)), fixtureTrials());
  const doc = JSON.parse(runCli(['export', 'latest', '--format', 'json', '--db', db]).stdout);
  assert.equal(doc.run.id, runId);
  assert.equal(doc.trials.length, 21);

  const html = join(dir, 'report.html');
  const rep = runCli(['report', '-o', html, '--db', db]);
  assert.equal(rep.code, 0, rep.stderr);
  assert.match(readFileSync(html, 'utf8'), /^<!doctype html>/);
  const md = runCli(['report', runId, '--format', 'md', '--db', db]);
  assert.match(md.stdout, /^## infermark run /);
  const mdFile = join(dir, 'summary.md');
  assert.equal(runCli(['report', '-o', mdFile, '--db', db]).code, 0);
  assert.match(readFileSync(mdFile, 'utf8'), /### Results/);
});

test('bad input: clear messages and exit code 2', (t) => {
  const dir = tempDir(t, 'infermark-cli-');
  const db = join(dir, 'r.db');
  const missing = runCli(['report', '-o', join(dir, 'x.html'), '--db', db]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no results database at .*infermark import/);
  runCli(['import', FIXTURE_JSONL, '--db', db]);
  const noOut = runCli(['report', '--db', db]);
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /-o FILE/);
  const badFormat = runCli(['export', 'latest', '--format', 'xml', '--db', db]);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /allowed: csv, json, jsonl/);
  const unknown = runCli(['export', '2099', '--format', 'csv', '--db', db]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown run "2099"; nearest: \d{8}-/);
  const notJsonl = runCli(['import', join(dir, 'nothing.jsonl'), '--db', db]);
  assert.equal(notJsonl.code, 2);
  assert.match(notJsonl.stderr, /no such file/);
});
