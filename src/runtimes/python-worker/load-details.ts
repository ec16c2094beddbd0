/**
 * The worker's load facts (the `extra` of its `loaded` reply, untyped JSON
 * from Python) as the typed LoadDetails of a result. Pure.
 */
import type { LoadDetails } from '../../results/types.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/** undefined when the worker reported none of the facts. */
export function loadDetailsOf(extra: Record<string, unknown>): LoadDetails | undefined {
  const out: LoadDetails = {};
  if (typeof extra.converter === 'string' && extra.converter) out.converter = extra.converter;
  if (extra.loadKind === 'cold' || extra.loadKind === 'warm') out.cache = extra.loadKind === 'warm' ? 'hit' : 'miss';
  const figures = { convertMs: num(extra.convertMs), compileMs: num(extra.compileMs), tuningMs: num(extra.tuningMs), tuningTrials: num(extra.tuningTrials) };
  for (const [k, v] of Object.entries(figures)) if (v !== undefined) out[k as keyof typeof figures] = v;
  return Object.keys(out).length ? out : undefined;
}
