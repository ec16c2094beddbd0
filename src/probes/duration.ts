/**
 * Durations for probe flags (--idle-baseline, --sample-interval): "500ms",
 * "10s", "2m", "1h", or a bare number, read as seconds to match the other
 * duration flags of `infermark run`.
 */
import { invalidValue } from '../errors/input-error.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Throws an InputError naming the field, the value and the accepted forms.
 * Without `minMs`, the duration must be above zero.
 */
export function parseDurationMs(field: string, text: string, opts: { minMs?: number } = {}): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?\s*$/.exec(String(text));
  const floor = opts.minMs !== undefined ? ` of at least ${opts.minMs} ms` : ' above zero';
  const allowed = `a duration${floor}, such as 500ms, 10s or 2m (a bare number is seconds)`;
  if (!m) throw invalidValue(field, text, allowed);
  const ms = Number(m[1]) * UNIT_MS[m[2] ?? 's'];
  if (!Number.isFinite(ms) || (opts.minMs !== undefined ? ms < opts.minMs : ms <= 0)) throw invalidValue(field, text, allowed);
  return ms;
}
