/** Brings a PostgreSQL database to the current schema, or says why it will not. */
import type pg from 'pg';
import { InputError } from '../../errors/input-error.js';
import { MIGRATION_LOCK, PG_MIGRATIONS, PG_SCHEMA_VERSION } from './pg-schema.js';

const MARK_TABLE = 'infermark_schema';

async function currentVersion(c: pg.PoolClient): Promise<number | undefined> {
  const marked = await c.query("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1", [MARK_TABLE]);
  if (!marked.rowCount) return undefined;
  return (await c.query<{ version: number }>(`SELECT version FROM ${MARK_TABLE}`)).rows[0]?.version ?? 0;
}

export async function migrate(c: pg.PoolClient, where: string): Promise<void> {
  const seen = await currentVersion(c);
  if (seen !== undefined && seen > PG_SCHEMA_VERSION) {
    throw new InputError('--db', `${where} was written by a newer infermark (schema ${seen}; this one reads up to ${PG_SCHEMA_VERSION}); nothing was changed: upgrade infermark, or use another database with --db`);
  }
  if (seen === PG_SCHEMA_VERSION) return;
  await c.query('BEGIN');
  try {
    // Many nodes open the store at once: one migrates, the others wait and find it done.
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    let version = await currentVersion(c);
    if (version === undefined) {
      const tables = (await c.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('runs', 'trials')")).rows;
      if (tables.length) {
        throw new InputError('--db', `${where} already has tables (${tables.map((t) => t.table_name).join(', ')}) that infermark did not create; nothing was written to it: choose another database with --db`);
      }
      await c.query(`CREATE TABLE ${MARK_TABLE} (application TEXT NOT NULL, version INTEGER NOT NULL)`);
      await c.query(`INSERT INTO ${MARK_TABLE} VALUES ('infermark', 0)`);
      version = 0;
    }
    if (version > PG_SCHEMA_VERSION) throw new InputError('--db', `${where} was written by a newer infermark (schema ${version}); nothing was changed: upgrade infermark`);
    for (const m of PG_MIGRATIONS) {
      if (m.version <= version) continue;
      await c.query(m.sql);
      await c.query(`UPDATE ${MARK_TABLE} SET version = $1`, [m.version]);
    }
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
