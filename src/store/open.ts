/** Opens the results store that --db (or INFERMARK_DB, or the default file) names. */
import { defaultDbPath } from './default-path.js';
import { isPostgresUrl, type OpenOptions, type ResultsStore } from './results-store.js';
import { SqliteResultsStore } from './sqlite-results-store.js';

export async function openResultsStore(db: string | undefined, opts: OpenOptions = {}): Promise<ResultsStore> {
  const where = db ?? defaultDbPath();
  if (isPostgresUrl(where)) {
    // Loaded only when asked for: SQLite users never pay for the client.
    const { PgResultsStore } = await import('./postgres/pg-store.js');
    return PgResultsStore.connect(where);
  }
  return SqliteResultsStore.open(where, opts);
}
