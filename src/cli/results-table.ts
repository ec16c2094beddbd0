/** The table `run` ends with: one row per trial, failures with their reason. */
import { basename } from 'node:path';
import type { TrialResult } from '../results/types.js';
import { fmtBytesMB, fmtMs, fmtNum, fmtSettings, renderTable } from './format.js';
import { agreementOf, efficiencyOf, providerText } from '../report/figures.js';

function energyCell(r: TrialResult): string {
  if (r.status !== 'ok' || !r.energy) return '-';
  const e = r.energy;
  if (e.energyPerItemJ === undefined) return '-';
  const value = e.energyPerItemJ >= 0.1 ? e.energyPerItemJ.toFixed(2) : e.energyPerItemJ.toExponential(1);
  // An estimate never sits in the column unlabelled.
  return e.estimated ? `~${value} (est)` : value;
}

function modelName(path: string): string {
  return path.startsWith('zoo:') || path.startsWith('ensemble:') ? path : basename(path);
}

function efficiencyCell(r: TrialResult): string {
  const e = efficiencyOf(r);
  if (!e) return '-';
  const shares = [
    e.theoreticalPeakShare !== undefined ? `${(e.theoreticalPeakShare * 100).toFixed(0)}% theor.` : '',
    (e.measuredPeakShare ?? e.peakShare) !== undefined ? `${((e.measuredPeakShare ?? e.peakShare)! * 100).toFixed(0)}% meas.` : '',
  ].filter(Boolean);
  return `${fmtNum(e.achievedGflops, 2)}${shares.length ? ` (${shares.join(', ')})` : ''}`;
}

/** Agreement with the reference: 'agree', or MISMATCH with the largest error. */
function agreementCell(r: TrialResult): string {
  const a = agreementOf(r);
  if (!a) return '-';
  if (a.error !== undefined) return 'unchecked';
  if (a.withinTolerance) return 'agree';
  return a.mismatch ? 'MISMATCH (shape)' : `MISMATCH (${(a.maxAbsError ?? NaN).toPrecision(2)})`;
}

export function resultsTable(results: TrialResult[]): string {
  // The model and scenario columns only appear when they tell rows apart.
  const models = new Set(results.map((r) => r.model.path)).size > 1;
  const scenarios = new Set(results.map((r) => r.scenario)).size > 1;
  const header = [
    ...(models ? ['model'] : []), ...(scenarios ? ['scenario'] : []),
    'runtime', 'provider', 'settings', 'batch', 'median ms [95% CI]', 'p99 ms', 'items/s', 'load ms', 'first ms', 'GFLOP/s (of peak)', 'cores', 'peak RSS MiB', 'J/item', 'outputs', 'status',
  ];
  const right = [...(models ? [false] : []), ...(scenarios ? [false] : []), false, false, false, true, true, true, true, true, true, true, true, true, true, false, false];
  const rows = results.map((r) => {
    const common = [
      ...(models ? [modelName(r.model.path)] : []), ...(scenarios ? [r.scenario] : []),
      r.runtime, providerText(r), fmtSettings(r.settings), String(r.batchSize),
    ];
    if (r.status === 'ok') {
      const l = r.latencyMs;
      const compile = r.compile ? `compile ${fmtMs(r.compile.coldMs)} ms cold${r.compile.warmMs !== undefined ? `, ${fmtMs(r.compile.warmMs)} ms warm` : ''}` : '';
      const notes = [compile, !r.converged ? 'not converged' : '', r.warnings.length ? `${r.warnings.length} warning(s)` : ''].filter(Boolean).join(', ');
      return [
        ...common,
        `${fmtMs(l.median)} [${fmtMs(l.ciLow)}, ${fmtMs(l.ciHigh)}]`,
        fmtMs(l.p99),
        fmtNum(r.throughputPerS),
        fmtMs(r.loadMs),
        fmtMs(r.firstInferenceMs),
        efficiencyCell(r),
        r.cpu ? r.cpu.coresBusy.toFixed(2) : '-',
        fmtBytesMB(r.memory?.peakRssBytes),
        energyCell(r),
        agreementCell(r),
        notes ? `ok (${notes})` : 'ok',
      ];
    }
    const why = r.status === 'failed' ? `FAILED (${r.error.kind}): ${r.error.message}` : `skipped: ${r.reason}`;
    return [...common, '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', why.length > 120 ? `${why.slice(0, 117)}...` : why];
  });
  return renderTable(header, rows, right);
}

/** Warnings grouped by kind, each remedy once (report/warning-groups.ts). */
export { warningsText } from '../report/warning-groups.js';
