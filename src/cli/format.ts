/** Number formatting for terminal output: units stay explicit. */

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 1000) return ms.toFixed(0);
  if (ms >= 100) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

export function fmtNum(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return '-';
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return v.toFixed(digits);
}

export function fmtBytesMB(bytes: number | undefined): string {
  return bytes === undefined ? '-' : (bytes / (1024 * 1024)).toFixed(0);
}

export function fmtDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

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
