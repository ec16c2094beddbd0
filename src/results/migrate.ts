/**
 * Reading results of any format version as the current one. Version 1 (no
 * `formatVersion`) kept agreement, efficiency, the load kind, the probes'
 * overhead and the scenario figures in an untyped `extra` bag; version 2
 * gives each its typed field. Records already at version 2 pass unchanged.
 */
import { RESULTS_FORMAT_VERSION, type ScenarioPart, type TrialResult } from './types.js';

/** Where version 1 kept each scenario's figures inside `extra`. */
const V1_FIGURES_KEY: Record<string, string> = { 'single-stream': 'scan', offline: 'scan', server: 'server', ensemble: 'ensemble' };

export function migrateResult(raw: unknown): TrialResult {
  const record = raw as TrialResult & { extra?: Record<string, unknown>; formatVersion?: number };
  if (record.formatVersion === RESULTS_FORMAT_VERSION) return record;
  const { extra, ...rest } = record;
  const out: Record<string, unknown> = { formatVersion: RESULTS_FORMAT_VERSION, ...rest };
  if (extra) {
    if (extra.agreement !== undefined) out.agreement = extra.agreement;
    if (rest.status === 'ok') {
      if (extra.efficiency !== undefined) out.efficiency = extra.efficiency;
      if (extra.loadKind !== undefined) out.loadKind = extra.loadKind;
      if (extra.probeOverheadMs !== undefined) out.probeOverheadMs = extra.probeOverheadMs;
    }
    // A batch scan's outcome sat under `scan` whatever the scenario that scanned.
    const own = extra[V1_FIGURES_KEY[rest.scenario] ?? ''] as Record<string, unknown> | undefined;
    const figures = rest.scenario === 'ensemble' ? (own && extra.scan ? { ...own, scan: extra.scan } : own) : own ?? extra.scan;
    if (figures !== undefined) out.figures = figures as ScenarioPart['figures'];
  }
  return out as unknown as TrialResult;
}
