/** The fleet's flags, shards and job script: pure, no cluster needed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitFleetArgs } from '../src/fleet/fleet-args.js';
import { dealShards, taskCount } from '../src/launchers/cluster.js';
import { jobScript } from '../src/launchers/slurm-script.js';
import { createClusterLauncher, createLauncher, launcherInfo, launcherNames } from '../src/launchers/registry.js';
import { InputError } from '../src/errors/input-error.js';
import { runCli } from './helpers/cli.js';
import { addModelBytes, writeModel } from './helpers/models.js';
import { tempDir } from './fixtures/fixture.js';

test('the Slurm flags are taken out of run\'s argv; the rest is left for run', () => {
  const f = splitFleetArgs(['plan.yaml', '--launcher', 'slurm', '--partition=gpu', '--time', '1:00:00', '--gpus-per-task', '1',
    '--max-parallel', '4', '--sbatch-arg=--account=perf', '--detach', '--resume', '20261127-150212-k3f9', '--batch', '1,2']);
  assert.equal(f.launcher, 'slurm');
  assert.deepEqual(f.cluster, { partition: 'gpu', time: '1:00:00', gpusPerTask: 1, maxParallel: 4, sbatchArgs: ['--account=perf'], detach: true, resumeRun: '20261127-150212-k3f9' });
  assert.deepEqual(f.rest, ['plan.yaml', '--batch', '1,2']);
  // Locally, a bare --resume (and what follows it) stays run's.
  assert.deepEqual(splitFleetArgs(['--resume', 'model.onnx', '--out', 'r.jsonl']).rest, ['--resume', 'model.onnx', '--out', 'r.jsonl']);
});

test('bad fleet flags name the flag, the value and what is allowed', () => {
  assert.throws(() => splitFleetArgs(['--launcher', 'pbs']), (e: Error) => e instanceof InputError && /--launcher: "pbs" is not valid; allowed: local, slurm, external/.test(e.message));
  assert.throws(() => splitFleetArgs(['--partition', 'gpu']), /--partition applies to a cluster launcher only \(--launcher slurm\)/);
  assert.throws(() => splitFleetArgs(['--launcher', 'slurm', '--time', 'soon']), /--time: "soon" is not valid/);
  assert.throws(() => splitFleetArgs(['--launcher', 'slurm', '--max-parallel', '0']), /--max-parallel/);
  assert.throws(() => splitFleetArgs(['--launcher', 'slurm', '--sbatch-arg', 'account=x']), /--sbatch-arg: "account=x" is not valid/);
});

test('--launcher is resolved through the launcher registry, and each launcher says what it needs', () => {
  assert.deepEqual(launcherNames(), ['local', 'slurm', 'external']);
  assert.deepEqual(launcherInfo('local'), { name: 'local', scope: 'trial', needs: { sharedStore: false }, description: launcherInfo('local').description });
  for (const name of ['slurm', 'external']) {
    assert.equal(launcherInfo(name).scope, 'plan');
    assert.equal(launcherInfo(name).needs.sharedStore, true);
    const l = createClusterLauncher(name, { sbatchArgs: [] });
    assert.equal(l.name, name);
    assert.deepEqual(l.needs, launcherInfo(name).needs);
  }
  assert.equal(createLauncher().name, 'local');
  assert.throws(() => createLauncher('slurm'), (e: Error) => e instanceof InputError && /runs a whole plan.*--launcher slurm/.test(e.message));
  assert.throws(() => createClusterLauncher('local', { sbatchArgs: [] }), /one at a time/);
  assert.throws(() => launcherInfo('pbs'), /--launcher: "pbs" is not valid; allowed: local, slurm, external/);
});

test('trials are dealt round-robin, one task per trial unless --max-parallel', () => {
  assert.deepEqual(dealShards([0, 1, 2, 3, 4], taskCount(5, 2)), [[0, 2, 4], [1, 3]]);
  assert.deepEqual(dealShards([3, 7], taskCount(2)), [[3], [7]]);
  assert.equal(taskCount(3, 8), 3);
});

test('the job script names the array, its throttle and the shards, and never the database URL', () => {
  const script = jobScript({ runId: 'r1', shards: [[0, 2], [1]], slurm: { partition: 'gpu', maxParallel: 2, gpusPerTask: 1, sbatchArgs: [] }, nodePath: '/usr/bin/node', mainPath: '/opt/infermark/main.js', workerFlags: ['--no-efficiency'] });
  assert.match(script, /^#SBATCH --array=0-1%2$/m);
  assert.match(script, /^#SBATCH --partition=gpu$/m);
  assert.match(script, /^#SBATCH --gpus-per-task=1$/m);
  assert.match(script, /^#SBATCH --output=\/dev\/null$/m);
  assert.match(script, /^ {2}0,2\n {2}1\n\)$/m);
  assert.match(script, /exec \/usr\/bin\/node \/opt\/infermark\/main\.js shard --run r1 --trials "\$\{SHARDS\[\$SLURM_ARRAY_TASK_ID\]\}" --no-efficiency\n$/);
  assert.ok(!/postgres/.test(script));
  const kept = jobScript({ runId: 'r1', shards: [[0]], slurm: { sbatchArgs: ['--output=/logs/%A_%a.out'] }, nodePath: 'node', mainPath: 'm.js', workerFlags: [] });
  assert.ok(!kept.includes('/dev/null') && kept.includes('#SBATCH --output=/logs/%A_%a.out'));
});

test('--dry-run prints the job script and the shards without a database or a cluster', (t) => {
  const dir = tempDir(t);
  const model = writeModel(dir, 'add.onnx', addModelBytes());
  const r = runCli(['run', model, '--runtime', 'fake', '--batch', '1,2,3', '--launcher', 'slurm', '--max-parallel', '2', '--dry-run'], { env: { PATH: '/nonexistent' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /#SBATCH --array=0-1%2/);
  assert.match(r.stdout, /task 0: 2 trial\(s\)\n {2}#0 .*add\.onnx fake\/cpu .*batch 1/);
  assert.match(r.stdout, /task 1: 1 trial\(s\)\n {2}#1 .*batch 2/);
});
