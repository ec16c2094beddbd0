/** The table `run` ends with: one row per trial, failures with their reason. */
import type { TrialResult } from '../results/types.js';
import { fmtBytesMB, fmtMs, fmtNum, fmtSettings, renderTable } from './format.js';

function energyCell(r: TrialResult): string {
  if (r.status !== 'ok' || !r.energy) return '-';
  const e = r.energy;
  if (e.energyPerItemJ === undefined) return '-';
  const value = e.energyPerItemJ >= 0.1 ? e.energyPerItemJ.toFixed(2) : e.energyPerItemJ.toExponential(1);
  // An estimate never sits in the column unlabelled.
  return e.estimated ? `~${value} (est)` : value;
}

export function resultsTable(results: TrialResult[]): string {
  const header = ['runtime', 'provider', 'settings', 'batch', 'median ms [95% CI]', 'p99 ms', 'items/s', 'load ms', 'first ms', 'cores', 'peak RSS MB', 'J/item', 'status'];
  const right = [false, false, false, true, true, true, true, true, true, true, true, true, false];
  const rows = results.map((r) => {
    const common = [r.runtime, r.provider, fmtSettings(r.settings), String(r.batchSize)];
    if (r.status === 'ok') {
      const l = r.latencyMs;
      const notes = [!r.converged ? 'not converged' : '', r.warnings.length ? `${r.warnings.length} warning(s)` : ''].filter(Boolean).join(', ');
      return [
        ...common,
        `${fmtMs(l.median)} [${fmtMs(l.ciLow)}, ${fmtMs(l.ciHigh)}]`,
        fmtMs(l.p99),
        fmtNum(r.throughputPerS),
        fmtMs(r.loadMs),
        fmtMs(r.firstInferenceMs),
        r.cpu ? r.cpu.coresBusy.toFixed(2) : '-',
        fmtBytesMB(r.memory?.peakRssBytes),
        energyCell(r),
        notes ? `ok (${notes})` : 'ok',
      ];
    }
    const why = r.status === 'failed' ? `FAILED (${r.error.kind}): ${r.error.message}` : `skipped: ${r.reason}`;
    return [...common, '-', '-', '-', '-', '-', '-', '-', '-', why.length > 120 ? `${why.slice(0, 117)}...` : why];
  });
  return renderTable(header, rows, right);
}

/** Every warning once per trial, with its remedy. */
export function warningsText(results: TrialResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const w of r.warnings) lines.push(`  ${r.runtime}/${r.provider} batch ${r.batchSize} ${fmtSettings(r.settings)}: ${w.message} (${w.remedy})`);
  }
  return lines.length ? `Warnings:\n${lines.join('\n')}\n` : '';
}
