/** CSV export: one row per trial, the columns of ResultRow (units in the names), RFC 4180 quoting. */
import type { StoredRun } from '../store/types.js';
import { toRow, type ResultRow } from './results-rows.js';

const COLUMNS: (keyof ResultRow)[] = [
  'run', 'model', 'runtime', 'provider', 'settings', 'batchSize', 'scenario', 'repetition', 'status',
  'medianMs', 'ciLowMs', 'ciHighMs', 'p99Ms', 'throughputPerS', 'loadMs', 'firstInferenceMs', 'coresBusy',
  'peakRssBytes', 'energyPerItemJ', 'averagePowerW', 'energyEstimated', 'achievedGflops', 'theoreticalPeakShare', 'peakShare', 'agreement', 'samples', 'converged', 'warnings', 'reason', 'machine',
];

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  // A cell starting with = + - @ is run as a formula by spreadsheets; a quote in front keeps it text.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(runs: StoredRun[]): string {
  const lines = [COLUMNS.join(',')];
  for (const { run, trials } of runs) {
    for (const t of trials) {
      const row = toRow(run.id, t);
      lines.push(COLUMNS.map((c) => cell(row[c])).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
