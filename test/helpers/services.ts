/**
 * The PostgreSQL server and Slurm cluster the fleet tests need, started
 * through scripts/services.sh when they are not running yet (so `npm test`
 * alone works). Services a test started are stopped by the last test process
 * that used them; services started by someone else (.ci/run) are left alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = join(PROJECT_ROOT, 'scripts/services.sh');
const STATE = process.env.INFERMARK_SERVICES_DIR ?? join(PROJECT_ROOT, '.services');
const USERS = join(STATE, 'test-users');
const STARTED_BY_TESTS = join(STATE, 'started-by-tests');

export interface Services {
  /** postgres:// URL of a database the tests may write to. */
  pgUrl: string;
  /** Environment for sbatch/squeue and the infermark CLI: SLURM_CONF and PATH. */
  env: NodeJS.ProcessEnv;
}

function running(): boolean {
  try {
    execFileSync('bash', [SCRIPT, 'status'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function release(): void {
  rmSync(join(USERS, String(process.pid)), { force: true });
  const others = existsSync(USERS) ? readdirSync(USERS).map(Number).filter((p) => p !== process.pid && alive(p)) : [];
  if (others.length === 0 && existsSync(STARTED_BY_TESTS)) {
    rmSync(STARTED_BY_TESTS, { force: true });
    execFileSync('bash', [SCRIPT, 'stop'], { stdio: 'ignore' });
  }
}

let cached: Services | undefined;
/** Run at exit before the services are released (dropping test databases). */
const cleanups: (() => void)[] = [];

/** Starts the services if needed; throws (the test fails) when they cannot be started. */
export function ensureServices(): Services {
  if (cached) return cached;
  mkdirSync(USERS, { recursive: true });
  writeFileSync(join(USERS, String(process.pid)), '');
  process.on('exit', () => {
    for (const fn of cleanups) fn();
    release();
  });
  if (!running()) {
    execFileSync('bash', [SCRIPT, 'start'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
    writeFileSync(STARTED_BY_TESTS, String(process.pid));
  }
  const vars = Object.fromEntries(readFileSync(join(STATE, 'env'), 'utf8').split('\n')
    .map((l) => /^export (\w+)=(.*)$/.exec(l)).filter((m): m is RegExpExecArray => Boolean(m)).map((m) => [m[1], m[2]]));
  cached = { pgUrl: vars.INFERMARK_TEST_PG, env: { ...process.env, ...vars } };
  return cached;
}

/** A fresh database on the test server, dropped when the test process ends. */
export function freshDatabase(services: Services, name: string): string {
  const db = `t_${name.slice(0, 30)}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = services.pgUrl.replace(/\/[^/]*$/, '/postgres');
  execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${db}`], { stdio: 'ignore' });
  cleanups.push(() => {
    try {
      execFileSync('psql', [admin, '-qc', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`], { stdio: 'ignore' });
    } catch { /* the server may be gone already */ }
  });
  return services.pgUrl.replace(/\/[^/]*$/, `/${db}`);
}
