/** A conformance case as both backends store it (one row of conformance_results). */
import type { StoredConformanceCase } from './types.js';

export interface ConformanceRow { runtime: string; test: string; operator: string; status: string; reason: string | null; wall_ms: number }

export const CONFORMANCE_COLUMNS = 'runtime, test, operator, status, reason, wall_ms';

export function conformanceCase(row: ConformanceRow): StoredConformanceCase {
  return {
    runtime: row.runtime, test: row.test, operator: row.operator, status: row.status,
    ...(row.reason !== null ? { reason: row.reason } : {}), wallMs: row.wall_ms,
  };
}
