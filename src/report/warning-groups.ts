/**
 * Warnings grouped by kind: a sweep of 18 trials can raise the same warning
 * 18 times, and its remedy is worth reading once. Each group keeps every
 * trial it applies to with that trial's own message (the figures differ).
 */
import type { BenchWarning, TrialResult } from '../results/types.js';
import { configLabel } from '../analysis/config-label.js';

export interface WarningGroup {
  code: string;
  /** The distinct remedies of this kind, usually one. */
  remedies: string[];
  trials: { label: string; model: string; message: string }[];
}

export function groupWarnings(trials: TrialResult[], extra: (t: TrialResult) => BenchWarning[] = () => []): WarningGroup[] {
  const groups = new Map<string, WarningGroup>();
  for (const t of trials) {
    for (const w of [...t.warnings, ...extra(t)]) {
      let g = groups.get(w.code);
      if (!g) groups.set(w.code, (g = { code: w.code, remedies: [], trials: [] }));
      if (w.remedy && !g.remedies.includes(w.remedy)) g.remedies.push(w.remedy);
      g.trials.push({ label: configLabel(t), model: t.model.path, message: w.message });
    }
  }
  return [...groups.values()];
}

/** Probe failures of an ok trial, as warnings of their own kind. */
export function probeWarnings(t: TrialResult): BenchWarning[] {
  return t.status === 'ok'
    ? (t.probeFailures ?? []).map((f) => ({ code: 'probe-failed', message: `${f.probe}: ${f.message}`, remedy: "see 'infermark doctor' for what this machine can measure" }))
    : [];
}

/**
 * The terminal's warnings: one block per kind, its remedy once, then the
 * trials it applies to. `verbose` adds each trial's own message.
 */
export function warningsText(trials: TrialResult[], opts: { verbose?: boolean; maxTrials?: number } = {}): string {
  const groups = groupWarnings(trials);
  if (groups.length === 0) return '';
  const total = groups.reduce((n, g) => n + g.trials.length, 0);
  const max = opts.verbose ? Infinity : (opts.maxTrials ?? 6);
  const models = new Set(trials.map((t) => t.model.path)).size > 1;
  const lines = [`Warnings (${total} in ${groups.length} kind(s)):`];
  for (const g of groups) {
    const differ = new Set(g.trials.map((t) => t.message)).size > 1;
    lines.push(`  ${g.code} (${g.trials.length} trial(s)): ${g.trials[0].message}${differ && !opts.verbose ? ' (the first; figures differ per trial, -v shows each)' : ''}`);
    for (const r of g.remedies) lines.push(`    remedy: ${r}`);
    const shown = g.trials.slice(0, max);
    for (const t of shown) lines.push(`    - ${models ? `${t.model} ` : ''}${t.label}${opts.verbose ? `: ${t.message}` : ''}`);
    if (g.trials.length > shown.length) lines.push(`    ... and ${g.trials.length - shown.length} more (-v lists every trial)`);
  }
  return `${lines.join('\n')}\n`;
}
