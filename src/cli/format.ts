/**
 * Terminal layout: settings as text, plain tables. Numbers are formatted in
 * one place, analysis/format-units.ts; its terminal forms are re-exported
 * here for the CLI's files.
 */
export { fmtBytesMB, fmtDuration, fmtMs, fmtNum } from '../analysis/format-units.js';

export function fmtSettings(settings: Record<string, unknown>): string {
  const parts = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(' ') : '-';
}

/** A plain text table; columns sized to their content, numbers right-aligned. */
export function renderTable(header: string[], rows: string[][], rightAlign: boolean[] = []): string {
  // A loop, not Math.max(...column): spreading 100k+ cells overflows the call stack.
  const widths = header.map((h) => h.length);
  for (const r of rows) {
    for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], (r[i] ?? '').length);
  }
  const line = (cells: string[]) => cells
    .map((c, i) => (rightAlign[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
