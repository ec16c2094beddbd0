/**
 * The ensemble's figures, from each member's co-located and alone medians.
 * Pure, shared by both modes.
 */
export interface MemberFigures {
  model: string;
  coLocatedMedianMs: number;
  aloneMedianMs: number;
  /** Items per second of this member alone and co-located. */
  coLocatedPerS: number;
  alonePerS: number;
  /** Co-located median over alone median: what sharing the device costs this member. */
  slowdown: number;
}

export interface EnsembleFigures {
  members: MemberFigures[];
  /** Inferences of any member per second, all running together. */
  aggregateCoLocatedPerS: number;
  /** The same members run one after another: k / sum(1 / alone throughput). */
  aggregateSequentialPerS: number;
  /** Co-located aggregate over sequential: above 1, co-location pays. */
  speedup: number;
}

export function ensembleFigures(batchSize: number, members: { model: string; coLocatedMedianMs: number; aloneMedianMs: number }[]): EnsembleFigures {
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
