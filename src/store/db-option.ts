/** The --db option shared by every command that reads or writes results (runs, export, import, report, compare, run). */
import { openStore, type Store } from './store.js';
import { defaultDbPath } from './default-path.js';

export const DB_OPTION = { db: { type: 'string' } } as const;

export const DB_USAGE = `  --db PATH   the results database (default: $INFERMARK_DB, else ${defaultDbPath({})})`;

/** Opens the database for reading: a missing file is an input error, not a new empty database. */
export function openForReading(db: string | undefined): Store {
  return openStore(db, { mustExist: true });
}
