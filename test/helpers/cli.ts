/** Running the real CLI in a child process, as a user would. */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { tempDir } from './models.js';

/**
 * Tests never touch the user's database or caches: a results database per
 * test process, and one zoo cache shared by all test processes (builds are
 * atomic, so sharing it only saves time).
 */
const ISOLATED_ENV = {
  INFERMARK_DB: join(tempDir('infermark-db-'), 'results.db'),
  INFERMARK_CACHE_DIR: join(tmpdir(), 'infermark-test-cache'),
};

export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, env: { ...process.env, ...ISOLATED_ENV, ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function startCli(args: string[], opts: { cwd?: string } = {}) {
  return spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...ISOLATED_ENV } });
}
