/**
 * A fleet run's cost: the same plan of 48 short fake-runtime trials on the
 * single-node Slurm cluster (scripts/services.sh) with --max-parallel 2, and
 * with the local launcher. Prints both wall times and the scheduling overhead
 * per trial: the Slurm run's task-seconds (wall x parallel tasks) beyond the
 * local run's, divided by the trials. Needs root (or running services).
 *
 *   node dist/bench/fleet.js
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addModelBytes } from '../test/helpers/models.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const SERVICES = join(ROOT, 'scripts/services.sh');
const TRIALS = 48;
const PARALLEL = 2;

function timedRun(args: string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`infermark ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').pop()}`);
  return wallMs;
}

export async function main(): Promise<void> {
  let startedHere = false;
  try {
    execFileSync('bash', [SERVICES, 'status'], { stdio: 'ignore' });
  } catch {
    execFileSync('bash', [SERVICES, 'start'], { stdio: 'inherit' });
    startedHere = true;
  }
  const dir = mkdtempSync(join(tmpdir(), 'infermark-bench-fleet-'));
  try {
    const vars = Object.fromEntries(readFileSync(join(ROOT, '.services/env'), 'utf8').split('\n')
      .map((l) => /^export (\w+)=(.*)$/.exec(l)).filter((m): m is RegExpExecArray => Boolean(m)).map((m) => [m[1], m[2]]));
    const env = { ...process.env, ...vars, INFERMARK_CACHE_DIR: join(dir, 'cache') };
    const model = join(dir, 'add.onnx');
    writeFileSync(model, addModelBytes());
    const plan = join(dir, 'plan.yaml');
    // 6 latencies x 8 batches = 48 trials of about 0.1 s of measuring each.
    writeFileSync(plan, `name: fleet-bench\nmodels: [ ${JSON.stringify(model)} ]\nruntimes: [ fake ]\nsettings: { latencyMs: [1, 2, 3, 4, 5, 6] }\nbatch: [1, 2, 3, 4, 5, 6, 7, 8]\nstopping: { minTime: 100ms, maxTime: 300ms, minSamples: 5 }\n`);
    const common = ['--no-check-outputs', '--no-efficiency', '-q'];
    const localMs = timedRun(['run', plan, '--db', join(dir, 'local.db'), ...common], env, dir);
    const slurmMs = timedRun(['run', plan, '--launcher', 'slurm', '--max-parallel', String(PARALLEL), '--db', vars.INFERMARK_TEST_PG, ...common], env, dir);
    const overheadPerTrialMs = (slurmMs * PARALLEL - localMs) / TRIALS;
    console.log(`${TRIALS} fake-runtime trials: local launcher ${(localMs / 1000).toFixed(1)} s wall; slurm, --max-parallel ${PARALLEL}: ${(slurmMs / 1000).toFixed(1)} s wall`);
    console.log(`slurm / local wall: ${(slurmMs / localMs).toFixed(2)} (perfect ${PARALLEL}-way split: ${(1 / PARALLEL).toFixed(2)})`);
    console.log(`scheduling overhead per trial: ${overheadPerTrialMs.toFixed(0)} ms of task time ((slurm wall x ${PARALLEL} - local wall) / ${TRIALS})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (startedHere) execFileSync('bash', [SERVICES, 'stop'], { stdio: 'inherit' });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
