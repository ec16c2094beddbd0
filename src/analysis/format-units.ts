/**
 * Every number formatter: numbers with their units, for terminal text,
 * Markdown and HTML tables alike (the CLI's fmt* forms live here too).
 */

/** Three significant digits, no exponent for everyday magnitudes. */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  if (abs < 0.001) return x.toExponential(2);
  return Number(x.toPrecision(3)).toString();
}

export function formatBytes(bytes: number): string {
  const mib = bytes / 2 ** 20;
  return mib >= 1024 ? `${sig3(mib / 1024)} GiB` : `${sig3(mib)} MiB`;
}

/** A figure in its objective's unit: bytes become MiB/GiB, the rest keep their unit. */
export function formatValue(value: number, unit: string): string {
  if (unit === 'bytes') return formatBytes(value);
  return `${sig3(value)} ${unit}`;
}

/** A CI's bounds in the figure's unit, without repeating the unit (bytes as MiB/GiB). */
export function formatBound(value: number, unit: string): string {
  return unit === 'bytes' ? formatBytes(value) : sig3(value);
}

/** Terminal forms: fixed decimals by magnitude, '-' where there is no figure. */
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
