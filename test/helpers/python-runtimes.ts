/**
 * The guard every Python-runtime test file starts with: under CI=true the
 * named runtimes must be available (scripts/setup-python.sh), elsewhere a
 * missing one skips the file's tests with its reason.
 */
import { runtimeStatus } from '../../src/runtimes/registry.js';

/** For node:test's `skip` option: false, or why the runtimes cannot run here. */
export async function skipUnlessPythonRuntimes(names: string[]): Promise<false | string> {
  const statuses = await Promise.all(names.map((n) => runtimeStatus(n)));
  const missing = statuses.filter((s) => !s.providers.some((p) => p.available)).map((s) => `${s.name}: ${s.providers[0]?.reason ?? s.loadError}`);
  if (missing.length && process.env.CI === 'true') throw new Error(`CI=true, so the Python runtime tests must run, but: ${missing.join('; ')}`);
  return missing.length ? `Python runtimes unavailable: ${missing.join('; ')}` : false;
}

/** Short stopping flags: these tests check what runs and agrees, not how fast. */
export const SHORT_RUN = ['--min-time', '50ms', '--max-time', '300ms', '--min-samples', '5', '--warmup', '2', '-q'];
