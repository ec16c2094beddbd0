/**
 * The two results-store backends the store tests run on: an SQLite file and a
 * database on the private PostgreSQL server (scripts/services.sh, started when
 * not running). Outside CI a machine that cannot start PostgreSQL skips its
 * half with the reason; under CI=true it fails instead.
 */
import type { TestContext } from 'node:test';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openResultsStore } from '../../src/store/open.js';
import type { ResultsStore } from '../../src/store/results-store.js';
import { tempDir } from '../fixtures/fixture.js';
import { ensureServices, freshDatabase } from './services.js';

export const BACKENDS = ['sqlite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

/** A fresh, empty database (a file path or a postgres:// URL), or undefined when the test was skipped. */
export function freshDb(t: TestContext, backend: Backend): string | undefined {
  if (backend === 'sqlite') return join(tempDir(t), 'r.db');
  try {
    return freshDatabase(ensureServices(), t.name);
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    t.skip(`PostgreSQL could not be started here (${(err as Error).message.split('\n')[0]}); under CI=true this fails`);
    return undefined;
  }
}

/** Opens the store on `db`, closed when the test ends. */
export async function openDb(t: TestContext, db: string): Promise<ResultsStore> {
  const store = await openResultsStore(db);
  t.after(() => store.close());
  return store;
}

/** A plain SQL connection to the database behind the store, for what only the tables show. */
export interface RawDb {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** One write transaction left open until `commit`, as a writer in the middle of its work. */
  holdOpen(sql: string, params?: unknown[]): Promise<{ commit: () => Promise<void> }>;
  close(): Promise<void>;
}

/** SQL written with ? placeholders, numbered for PostgreSQL. */
const numbered = (sql: string): string => { let n = 0; return sql.replace(/\?/g, () => `$${++n}`); };

export async function rawDb(t: TestContext, db: string): Promise<RawDb> {
  let raw: RawDb;
  if (db.startsWith('postgres')) {
    const c = new pg.Client({ connectionString: db });
    await c.connect();
    raw = {
      query: async <T>(sql: string, params: unknown[] = []) => (await c.query(numbered(sql), params)).rows as T[],
      holdOpen: async (sql, params = []) => {
        const w = new pg.Client({ connectionString: db });
        await w.connect();
        await w.query('BEGIN');
        await w.query(numbered(sql), params);
        return { commit: async () => { await w.query('COMMIT'); await w.end(); } };
      },
      close: () => c.end(),
    };
  } else {
    const c = new Database(db);
    raw = {
      query: async <T>(sql: string, params: unknown[] = []) => {
        const st = c.prepare(sql);
        if (st.reader) return st.all(...params) as T[];
        st.run(...params);
        return [];
      },
      holdOpen: async (sql, params = []) => {
        const w = new Database(db);
        w.exec('BEGIN IMMEDIATE');
        w.prepare(sql).run(...params);
        return { commit: async () => { w.exec('COMMIT'); w.close(); } };
      },
      close: async () => { c.close(); },
    };
  }
  t.after(() => raw.close());
  return raw;
}
