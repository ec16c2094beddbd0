/**
 * The ensemble's figures, from each member's co-located and alone medians.
 * Pure, shared by both modes.
 */
import type { EnsembleMemberFigures, EnsembleTotals } from '../results/types.js';

export type MemberFigures = EnsembleMemberFigures;

export function ensembleFigures(batchSize: number, members: { model: string; coLocatedMedianMs: number; aloneMedianMs: number }[]): EnsembleTotals {
  const perS = (ms: number) => (ms > 0 ? (batchSize * 1000) / ms : 0);
  const rows = members.map((m) => ({
    ...m,
    coLocatedPerS: perS(m.coLocatedMedianMs),
    alonePerS: perS(m.aloneMedianMs),
    slowdown: m.aloneMedianMs > 0 ? m.coLocatedMedianMs / m.aloneMedianMs : NaN,
  }));
  const aggregateCoLocatedPerS = rows.reduce((s, r) => s + r.coLocatedPerS, 0);
  const aggregateSequentialPerS = rows.length / rows.reduce((s, r) => s + 1 / r.alonePerS, 0);
  return { members: rows, aggregateCoLocatedPerS, aggregateSequentialPerS, speedup: aggregateCoLocatedPerS / aggregateSequentialPerS };
}
