/**
 * Fleet runs end to end on a real single-node Slurm cluster writing to a real
 * PostgreSQL server (both from scripts/services.sh; under CI=true they must
 * start): a plan as a job array, a cancelled task then --resume, two plans at
 * once into one database, and the refusals that submit nothing.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from './helpers/cli.js';
import { addModelBytes, writeModel } from './helpers/models.js';
import { tempDir } from './fixtures/fixture.js';
import { ensureServices, freshDatabase, type Services } from './helpers/services.js';
import { openResultsStore } from '../src/store/open.js';

interface Ran { code: number | null; stdout: string; stderr: string }

function cli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Setup { services: Services; db: string; dir: string; env: NodeJS.ProcessEnv; plan: (name: string, latencies: number[], batches: number[], minTime?: string) => string }

function setup(t: TestContext): Setup | undefined {
  let services: Services;
  try {
    services = ensureServices();
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    t.skip(`Slurm and PostgreSQL could not be started here (${(err as Error).message.split('\n')[0]}); under CI=true this fails`);
    return undefined;
  }
  const dir = tempDir(t, 'infermark-fleet-');
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const env: NodeJS.ProcessEnv = { ...services.env, INFERMARK_CACHE_DIR: join(dir, 'cache') };
  delete env.INFERMARK_DB;
  const plan = (name: string, latencies: number[], batches: number[], minTime = '100ms') => {
    const path = join(dir, `${name}.yaml`);
    writeFileSync(path, `name: ${name}\nmodels: [ ${JSON.stringify(model)} ]\nruntimes: [ fake ]\nsettings: { latencyMs: [${latencies.join(', ')}] }\nbatch: [${batches.join(', ')}]\nstopping: { minTime: ${minTime}, maxTime: 2s, minSamples: 5 }\n`);
    return path;
  };
  return { services, db: freshDatabase(services, t.name), dir, env, plan };
}

const FAST = ['--no-check-outputs', '--no-efficiency'];

test('a plan runs as one Slurm job array, every task writing to PostgreSQL, and ends with the table', async (t) => {
  const s = setup(t);
  if (!s) return;
  const out = join(s.dir, 'f.jsonl');
  const r = await cli(['run', s.plan('array', [1, 2], [1, 2]), '--launcher', 'slurm', '--max-parallel', '2', '--db', s.db, '--out', out, ...FAST], s.env, s.dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /submitted Slurm job \d+: 4 trial\(s\) in 2 array task\(s\)/);
  assert.match(r.stderr, /slurm job \d+: tasks \d+ pending, \d+ running, \d+ ended of 2; trials \d\/4 in/);
  assert.ok(!r.stderr.includes(s.db.split('@')[0].split(':')[2]), 'the password is never printed');
  assert.equal(r.stdout.split("\n").filter((l) => l.startsWith("fake")).length, 4, r.stdout + r.stderr);
  assert.match(r.stdout, /Recommendation for/);
  const store = await openResultsStore(s.db);
  t.after(() => store.close());
  const [run] = await store.listRuns();
  const stored = await store.getRun(run.id);
  assert.equal(stored.trials.length, 4);
  assert.equal(new Set(stored.trials.map((x) => x.key)).size, 4);
  assert.ok(stored.trials.every((x) => x.status === 'ok' && x.context?.machine.hostname));
  assert.ok(stored.run.endedAt);
  const exported = await cli(['export', run.id, '--format', 'jsonl', '--db', s.db], s.env, s.dir);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(exported.stdout.trim().split('\n').length, 4);
});

test('a task cancelled mid-run loses no finished trial; its trials fail with Slurm\'s reason and --resume re-runs only them', async (t) => {
  const s = setup(t);
  if (!s) return;
  const plan = s.plan('cancel', [1, 2, 3], [1, 2], '1s');
  const sub = await cli(['run', plan, '--launcher', 'slurm', '--max-parallel', '2', '--detach', '--db', s.db, ...FAST], s.env, s.dir);
  assert.equal(sub.code, 0, sub.stderr);
  const { jobId, runId } = JSON.parse(sub.stdout) as { jobId: string; runId: string };
  // Cancel task 1 as soon as it runs: it holds 3 trials of about 2 s each, so some are unfinished.
  for (let i = 0; i < 600; i++) {
    const q = await sh('squeue', ['-h', '-r', '-j', jobId, '-o', '%K %T'], s.env);
    if (/^1 RUNNING$/m.test(q.stdout)) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const cancel = await sh('scancel', [`${jobId}_1`], s.env);
  assert.equal(cancel.code, 0, cancel.stderr);
  const watched = await cli(['runs', '--watch', runId, '--db', s.db], s.env, s.dir);
  assert.equal(watched.code, 1, watched.stderr);
  const store = await openResultsStore(s.db);
  t.after(() => store.close());
  const after = await store.getRun(runId);
  assert.equal(after.trials.length, 6);
  const lost = after.trials.filter((x) => x.status === 'failed');
  assert.ok(lost.length >= 1);
  for (const x of lost) assert.match(x.status === 'failed' ? x.error.message : '', new RegExp(`Slurm array task ${jobId}_1 ended CANCELLED.*--resume ${runId}`));
  const okBefore = after.trials.filter((x) => x.status === 'ok').map((x) => x.key);

  const resumed = await cli(['run', plan, '--launcher', 'slurm', '--resume', runId, '--db', s.db, ...FAST], s.env, s.dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`submitted Slurm job \\d+: ${lost.length} trial\\(s\\)`));
  const final = await store.getRun(runId);
  assert.equal(final.trials.length, 6);
  assert.ok(final.trials.every((x) => x.status === 'ok'));
  assert.equal(new Set(final.trials.map((x) => x.key)).size, 6);
  // The trials finished before the cancel are the very same results, not re-runs.
  for (const key of okBefore) assert.deepEqual(final.trials.find((x) => x.key === key), after.trials.find((x) => x.key === key));
});

test('Ctrl-C while a Slurm run is followed cancels its job in one line; the finished trials stay in the store', async (t) => {
  const s = setup(t);
  if (!s) return;
  const plan = s.plan('interrupt', [1, 2, 3], [1, 2], '1s');
  const child = spawn(process.execPath, [CLI, 'run', plan, '--launcher', 'slurm', '--max-parallel', '2', '--db', s.db, ...FAST], { cwd: s.dir, env: s.env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { child.kill('SIGKILL'); });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdout.resume();
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const store = await openResultsStore(s.db);
  t.after(() => store.close());
  // Interrupt once the first trial is in the store and others are still to come (6 trials of about 2 s, 2 at a time).
  let okBefore: string[] = [];
  for (let i = 0; i < 600 && okBefore.length === 0; i++) {
    await new Promise((res) => setTimeout(res, 100));
    const [run] = await store.listRuns();
    if (run) okBefore = (await store.getRun(run.id)).trials.filter((x) => x.status === 'ok').map((x) => x.key);
  }
  assert.ok(okBefore.length > 0 && okBefore.length < 6, stderr);
  const jobId = /submitted Slurm job (\d+)/.exec(stderr)?.[1];
  assert.ok(jobId, stderr);
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  const said = stderr.split('\n').filter((l) => l.includes('SIGINT'));
  assert.equal(said.length, 1, stderr);
  assert.match(said[0], new RegExp(`^SIGINT: cancelled Slurm job ${jobId} \\(scancel ${jobId}\\); the finished trials stay in run \\S+; resume with 'infermark run PLAN --launcher slurm --resume \\S+'$`));
  // The job is gone from Slurm, nothing of it still runs.
  assert.equal((await sh('squeue', ['-h', '-j', jobId], s.env)).stdout.trim(), '');
  const [run] = await store.listRuns();
  const after = await store.getRun(run.id);
  for (const key of okBefore) assert.equal(after.trials.find((x) => x.key === key)?.status, 'ok', key);
  assert.ok(after.trials.filter((x) => x.status === 'failed').length >= 1, 'the trials the cancel cut short are failed, for --resume');
  for (const x of after.trials) if (x.status === 'failed') assert.match(x.error.message, new RegExp(`Slurm array task ${jobId}_\\d+ ended CANCELLED`));
  assert.ok(after.run.endedAt, 'the run is closed');
});

test('two plans submitted at once write to one database without mixing or losing trials', async (t) => {
  const s = setup(t);
  if (!s) return;
  const [a, b] = await Promise.all([
    cli(['run', s.plan('one', [1], [1, 2, 3]), '--launcher', 'slurm', '--db', s.db, '--json', ...FAST], s.env, s.dir),
    cli(['run', s.plan('two', [2], [1, 2, 3, 4]), '--launcher', 'slurm', '--db', s.db, '--json', ...FAST], s.env, s.dir),
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const ra = JSON.parse(a.stdout) as { runId: string };
  const rb = JSON.parse(b.stdout) as { runId: string };
  const store = await openResultsStore(s.db);
  t.after(() => store.close());
  const runA = await store.getRun(ra.runId);
  const runB = await store.getRun(rb.runId);
  assert.deepEqual(runA.trials.map((x) => x.batchSize).sort(), [1, 2, 3]);
  assert.deepEqual(runB.trials.map((x) => x.batchSize).sort(), [1, 2, 3, 4]);
  assert.ok(runA.trials.every((x) => x.status === 'ok' && x.settings.latencyMs === 1));
  assert.ok(runB.trials.every((x) => x.status === 'ok' && x.settings.latencyMs === 2));
});

test('no sbatch on PATH, an unknown partition, or a store that is not PostgreSQL: one line, exit 2, nothing submitted', async (t) => {
  const s = setup(t);
  if (!s) return;
  const plan = s.plan('bad', [1], [1]);
  const noSlurm = await cli(['run', plan, '--launcher', 'slurm', '--db', s.db], { ...s.env, PATH: '/nonexistent' }, s.dir);
  assert.equal(noSlurm.code, 2);
  assert.match(noSlurm.stderr, /^infermark run: --launcher slurm: sbatch is not on PATH.*nothing was submitted\n$/);
  const partition = await cli(['run', plan, '--launcher', 'slurm', '--partition', 'no-such-partition', '--db', s.db], s.env, s.dir);
  assert.equal(partition.code, 2);
  assert.match(partition.stderr, /^infermark run: Slurm refused the job \(sbatch: error: .*[Pp]artition.*\); nothing was submitted\n$/);
  const sqlite = await cli(['run', plan, '--launcher', 'slurm', '--db', join(s.dir, 'r.db')], s.env, s.dir);
  assert.equal(sqlite.code, 2);
  assert.match(sqlite.stderr, /needs a results store every node can write to: --db postgres:/);
  const wrong = await cli(['run', plan, '--launcher', 'slurm', '--db', s.db.replace(/:[^:@/]+@/, ':wrong@')], s.env, s.dir);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /^infermark run: PostgreSQL at .* refused the login/);
  const store = await openResultsStore(s.db);
  t.after(() => store.close());
  assert.deepEqual(await store.listRuns(), [], 'no run was recorded');
});

test('--launcher external records the run for outside workers; shards by --index/--count fill it once', async (t) => {
  const s = setup(t);
  if (!s) return;
  const plan = s.plan('external', [1], [1, 2, 3]);
  const made = await cli(['run', plan, '--launcher', 'external', '--db', s.db], s.env, s.dir);
  assert.equal(made.code, 0, made.stderr);
  const { runId, trials } = JSON.parse(made.stdout) as { runId: string; trials: number };
  assert.equal(trials, 3);
  // Two workers as a Kubernetes Indexed Job would start them (JOB_COMPLETION_INDEX), one of them twice (a restarted pod).
  const workers = await Promise.all([0, 1, 1].map((i) => cli(['shard', '--run', runId, '--count', '2', ...FAST], { ...s.env, INFERMARK_DB: s.db, JOB_COMPLETION_INDEX: String(i) }, s.dir)));
  for (const w of workers) assert.equal(w.code, 0, w.stderr);
  const store = await openResultsStore(s.db);
  t.after(() => store.close());
  const run = await store.getRun(runId);
  assert.deepEqual(run.trials.map((x) => x.batchSize).sort(), [1, 2, 3]);
  assert.ok(run.trials.every((x) => x.status === 'ok'));
});
