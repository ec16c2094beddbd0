/**
 * Habits users bring from hyperfine and git: export flags written as the
 * sweep goes, latest~N, completion scripts, a quiet end when stdout closes,
 * warnings grouped by kind, and a recorded run that is not imported twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli, startCli } from './helpers/cli.js';
import { openStore } from '../src/store/store.js';
import { warningsText, groupWarnings } from '../src/report/warning-groups.js';
import { flagsFromUsage } from '../src/cli/completion.js';
import { FIXTURE_JSONL, fixtureTrials } from './fixtures/fixture.js';
import { synthTrial, samplesAround } from './fixtures/synthetic.js';

test('warnings are grouped by kind: each remedy once, then the trials it applies to', () => {
  const remedy = 'consider more --warmup runs';
  const trials = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({
    ...synthTrial({ model: 'm.onnx', batchSize: i, samplesMs: samplesAround(3, 20, i) }),
    warnings: [
      { code: 'high-variance', message: `coefficient of variation ${10 + i}%`, remedy },
      ...(i === 1 ? [{ code: 'not-converged', message: 'CI still wide', remedy: 'raise --max-time' }] : []),
    ],
  }));
  const text = warningsText(trials);
  assert.equal(text.split(remedy).length - 1, 1, 'the remedy once');
  assert.match(text, /^Warnings \(9 in 2 kind\(s\)\):/);
  assert.match(text, /high-variance \(8 trial\(s\)\)/);
  assert.match(text, /\.\.\. and 2 more \(-v lists every trial\)/);
  const verbose = warningsText(trials, { verbose: true });
  for (let i = 1; i <= 8; i++) assert.ok(verbose.includes(`coefficient of variation ${10 + i}%`), `trial ${i}'s own message with -v`);
  assert.deepEqual(groupWarnings(trials).map((g) => [g.code, g.trials.length, g.remedies.length]), [['high-variance', 8, 1], ['not-converged', 1, 1]]);
  assert.equal(warningsText([]), '');
});

test('latest~N counts back from the newest run; a count past the oldest names the oldest', () => {
  const dir = tempDir();
  const store = openStore(join(dir, 'r.db'));
  const ids = ['a', 'b', 'c'].map((_, i) => store.beginRun({ toolVersion: 't', startedAt: `2025-11-2${i}T10:00:00.000Z` }));
  assert.equal(store.resolveRunId('latest'), ids[2]);
  assert.equal(store.resolveRunId('latest~0'), ids[2]);
  assert.equal(store.resolveRunId('latest~1'), ids[1]);
  assert.equal(store.resolveRunId('latest~2'), ids[0]);
  assert.throws(() => store.resolveRunId('latest~3'), /only 3 run\(s\), so latest~2 is the oldest/);
  // Ids made in the same second share their time: the shortest prefix past it that only ids[0] has.
  const lengths = Array.from({ length: ids[0].length - 16 }, (_, i) => 17 + i);
  const unique = ids[0].slice(0, lengths.find((n) => ids.filter((id) => id.startsWith(ids[0].slice(0, n))).length === 1));
  assert.equal(store.resolveRunId(unique), ids[0], 'a unique prefix');
  store.close();
});

test('import recognises the --out file of a run it already recorded', () => {
  const dir = tempDir();
  const store = openStore(join(dir, 'r.db'));
  const runId = store.beginRun({ toolVersion: 't' });
  for (const t of fixtureTrials()) store.addTrial(runId, t);
  store.endRun(runId);
  const again = store.importJsonlDetailed(FIXTURE_JSONL);
  assert.deepEqual([again.runId, again.alreadyImported], [runId, true]);
  assert.equal(store.listRuns().length, 1, 'no second copy');
  // A file holding only some of those trials plus a new one is a new run.
  const partial = join(dir, 'partial.jsonl');
  const [first] = fixtureTrials();
  writeFileSync(partial, `${JSON.stringify(first)}\n${JSON.stringify({ ...first, key: 'another' })}\n`);
  assert.equal(store.importJsonlDetailed(partial).alreadyImported, false);
  store.close();
});

test('completion scripts: bash parses them, every command and its documented flags are in', () => {
  assert.deepEqual(flagsFromUsage('Options:\n  -o FILE     x\n  --format F  y\n  -q, --quiet  z\n'), ['-o', '--format', '-q', '--quiet', '--help']);
  const bash = runCli(['completion', 'bash']);
  assert.equal(bash.code, 0, bash.stderr);
  const dir = tempDir();
  writeFileSync(join(dir, 'c.bash'), bash.stdout);
  const check = spawnSync('bash', ['-n', join(dir, 'c.bash')], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  for (const w of ['run)', 'report)', '--export-json', '--runtime', 'latest~1', 'complete -o default -F _infermark infermark']) assert.ok(bash.stdout.includes(w), w);
  // The script really completes: source it and ask for the run flags starting with --exp.
  const words = spawnSync('bash', ['-c', `source ${join(dir, 'c.bash')}; COMP_WORDS=(infermark run --exp); COMP_CWORD=2; _infermark; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  assert.equal(words.stdout.trim(), '--export-json --export-markdown --export-csv');
  for (const shell of ['zsh', 'fish']) {
    const r = runCli(['completion', shell]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /export-markdown/);
  }
  const bad = runCli(['completion', 'tcsh']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /"tcsh" is not valid; allowed: bash, zsh, fish/);
});

test('export RUN | head: a closed pipe ends quietly, with no EPIPE stack', async () => {
  const dir = tempDir();
  const db = join(dir, 'r.db');
  assert.equal(runCli(['import', FIXTURE_JSONL, '--db', db]).code, 0);
  const child = startCli(['export', 'latest', '--format', 'json', '--db', db]);
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  // Read one chunk, then close our end, as head does.
  await new Promise<void>((resolve) => child.stdout.once('data', () => { child.stdout.destroy(); resolve(); }));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.doesNotMatch(stderr, /EPIPE|^\s+at /m);
  assert.equal(code, 0, stderr);
});

test('run --export-json/--export-markdown/--export-csv write every trial; --show-output prints the runner\'s output', () => {
  const dir = tempDir();
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const [json, md, csv] = ['x.json', 'x.md', 'x.csv'].map((f) => join(dir, f));
  const r = runCli(['run', model, '--runtime', 'fake', '--set', 'latencyMs=1,2', '--min-time', '50ms', '--no-db', '--export-json', json, '--export-markdown', md, '--export-csv', csv, '-v']);
  assert.equal(r.code, 0, r.stderr);
  for (const f of [json, md, csv]) assert.ok(existsSync(f), f);
  const j = JSON.parse(readFileSync(json, 'utf8')) as { results: unknown[]; recommendation: { models: unknown[] } };
  assert.equal(j.results.length, 2);
  assert.equal(j.recommendation.models.length, 1);
  assert.equal(readFileSync(csv, 'utf8').trim().split('\r\n').length, 3, 'a header and two trials');
  assert.match(readFileSync(md, 'utf8'), /latencyMs=2/);
  assert.match(r.stdout, /peak RSS MiB/);
  const shown = runCli(['run', model, '--runtime', 'fake', '--set', 'crash=exit', '--min-time', '50ms', '--no-db', '--show-output', '-q']);
  assert.equal(shown.code, 1, 'the trial failed');
  assert.match(shown.stderr, /^\[fake\/cpu batch=1 crash=exit\] fake runtime: exiting with code 3 on purpose/m);
  const hidden = runCli(['run', model, '--runtime', 'fake', '--set', 'crash=exit', '--min-time', '50ms', '--no-db', '-q']);
  assert.doesNotMatch(hidden.stderr, /\[fake\/cpu/, 'without the flag the output is only in the failure reason');
});
