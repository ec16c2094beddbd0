/** Where the results database lives when --db is not given. */
import { join } from 'node:path';
import envPaths from 'env-paths';

/** INFERMARK_DB if set, else the user's data folder (~/.local/share/infermark on Linux). */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.INFERMARK_DB) return env.INFERMARK_DB;
  return join(envPaths('infermark', { suffix: '' }).data, 'results.db');
}
