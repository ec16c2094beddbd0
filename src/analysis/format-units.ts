/** Numbers with their units, for terminal text, Markdown and HTML tables alike. */

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
