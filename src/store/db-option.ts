/** The --db option shared by every command that reads or writes results (runs, export, import, report, compare, run). */
import { openResultsStore } from './open.js';
import type { ResultsStore } from './results-store.js';
import { defaultDbPath } from './default-path.js';

export const DB_OPTION = { db: { type: 'string' } } as const;

export const DB_USAGE = `  --db PATH|URL  the results database: an SQLite file, or postgres://USER:PASSWORD@HOST:PORT/DB
                 (default: $INFERMARK_DB, else ${defaultDbPath({})})`;

/** Opens the database for reading: a missing file is an input error, not a new empty database. */
export function openForReading(db: string | undefined): Promise<ResultsStore> {
  return openResultsStore(db, { mustExist: true });
}
