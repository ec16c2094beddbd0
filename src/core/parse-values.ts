/**
 * Parsing flag values: durations, percentages, lists and NAME=VALUE pairs.
 * Each error names the flag, the value and what is allowed.
 */
import { InputError, invalidValue } from '../errors/input-error.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * "500ms", "10s", "2m", "1h", or a bare number, read as seconds. Throws an InputError naming the field, the value and the accepted forms.
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

/** "2%" or "0.02" -> 0.02. */
export function parseFraction(field: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text);
  if (!m) throw invalidValue(field, text, 'a percentage such as 2% (or a fraction such as 0.02)');
  const v = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  if (!(v > 0 && v < 1)) throw invalidValue(field, text, 'a percentage between 0% and 100%, such as 2%');
  return v;
}

export function parsePositiveInt(field: string, text: string, min = 1): number {
  const v = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isInteger(v) || v < min) throw invalidValue(field, text, `an integer >= ${min}`);
  return v;
}

export function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

export function parseIntList(field: string, text: string, min = 1): number[] {
  const items = splitList(text);
  if (items.length === 0) throw invalidValue(field, text, `a comma-separated list of integers >= ${min}, such as 1,8,32`);
  return items.map((s) => {
    const v = Number(s);
    if (!/^-?\d+$/.test(s) || v < min) throw invalidValue(field, s, `integers >= ${min}, such as 1,8,32`);
    return v;
  });
}

/** "name=value" (the value may itself contain '='). */
export function parsePair(field: string, text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw invalidValue(field, text, `NAME=VALUE`);
  return [text.slice(0, eq).trim(), text.slice(eq + 1).trim()];
}

export function parsePositiveNumber(field: string, text: string): number {
  const v = Number(text);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text) || !(v > 0)) throw invalidValue(field, text, 'a number > 0');
  return v;
}
