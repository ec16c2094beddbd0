/** A cluster launcher's store: it must be a PostgreSQL server every node can reach. */
import { InputError } from '../errors/input-error.js';
import { defaultDbPath } from '../store/default-path.js';
import { isPostgresUrl } from '../store/results-store.js';
import type { PgResultsStore } from '../store/postgres/pg-store.js';

export function sharedStoreUrl(db: string | undefined, launcher = 'slurm'): string {
  const url = db ?? defaultDbPath();
  if (!isPostgresUrl(url)) {
    throw new InputError('--db', `--launcher ${launcher} needs a results store every node can write to: --db postgres://USER:PASSWORD@HOST:PORT/DB (or INFERMARK_DB), got ${JSON.stringify(url)}`);
  }
  return url;
}

export async function openSharedStore(db: string | undefined): Promise<PgResultsStore> {
  const { PgResultsStore: Pg } = await import('../store/postgres/pg-store.js');
  return Pg.connect(sharedStoreUrl(db));
}
