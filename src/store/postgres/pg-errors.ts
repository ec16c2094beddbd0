/**
 * PostgreSQL failures as one line a user can act on. Reaching the server and
 * logging in are input problems (--db is wrong or the server is down): exit 2
 * before any trial runs.
 */
import { InputError } from '../../errors/input-error.js';

export class StoreUnavailableError extends InputError {
  constructor(message: string) {
    super('--db', message);
    this.name = 'StoreUnavailableError';
  }
}

interface PgLikeError { code?: string; message?: string }

/** Network-level failures and server shutdowns: worth retrying with backoff. */
const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '40001', '40P01']);

export function isTransient(err: unknown): boolean {
  const e = err as PgLikeError;
  if (e?.code && TRANSIENT.has(e.code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e?.message ?? '');
}

/** The message for a failure to connect to `where` (the URL without its password). */
export function connectFailure(where: string, err: unknown): StoreUnavailableError {
  const e = err as PgLikeError;
  switch (e?.code) {
    case '28P01':
    case '28000':
      return new StoreUnavailableError(`PostgreSQL at ${where} refused the login (${e.message}): check the user and password in --db`);
    case '3D000':
      return new StoreUnavailableError(`PostgreSQL at ${where}: ${e.message}; create it (createdb) or name another database in --db`);
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return new StoreUnavailableError(`cannot reach PostgreSQL at ${where} (${e.code}): start the server, or fix the host and port in --db`);
    default:
      return new StoreUnavailableError(`cannot open the results database at ${where}: ${e?.message ?? String(err)}`);
  }
}
