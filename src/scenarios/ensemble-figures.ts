/**
 * The ensemble's figures, counted from the members' recorded calls. Co-located:
 * every member's items completed inside one common window (the span in which all
 * members were measuring) over that window. Sequential: the members one after
 * another, from each member's counted throughput alone. Pure, shared by both modes.
 */
import type { EnsembleMemberFigures, EnsembleTotals } from '../results/types.js';

export type MemberFigures = EnsembleMemberFigures;

/** One member's measured calls on a clock shared by all members (ms), and its counted rate alone. */
export interface MemberRecord {
  model: string;
  /** Ends of the member's co-located calls on the shared clock. */
  callEndMs: number[];
  /** Starts of the same calls. */
  callStartMs: number[];
  coLocatedMedianMs: number;
  aloneMedianMs: number;
  /** Counted throughput of the member alone (items over its window). */
  alonePerS: number;
}

/** The span in which every member was measuring: from the latest first start to the earliest last end. */
export function commonWindow(members: Pick<MemberRecord, 'callStartMs' | 'callEndMs'>[]): { startMs: number; endMs: number } {
  const startMs = Math.max(...members.map((m) => Math.min(...m.callStartMs)));
  const endMs = Math.min(...members.map((m) => Math.max(...m.callEndMs)));
  return { startMs, endMs };
}

/** Calls wholly inside [startMs, endMs]: started and completed within the window. */
function callsWithin(m: Pick<MemberRecord, 'callStartMs' | 'callEndMs'>, startMs: number, endMs: number): number {
  let n = 0;
  for (let i = 0; i < m.callEndMs.length; i++) if (m.callStartMs[i] >= startMs && m.callEndMs[i] <= endMs) n++;
  return n;
}

export function ensembleFigures(batchSize: number, members: MemberRecord[]): EnsembleTotals {
  const w = commonWindow(members);
  const windowS = Math.max(0, (w.endMs - w.startMs) / 1000);
  // The raw calls stay in the record, on one time axis starting at the earliest call, so each figure can be recounted.
  const origin = Math.min(...members.map((m) => Math.min(...m.callStartMs)));
  const rel = (xs: number[]) => xs.map((t) => t - origin);
  const rows = members.map((m) => {
    const items = callsWithin(m, w.startMs, w.endMs) * batchSize;
    return {
      model: m.model,
      calls: { startMs: rel(m.callStartMs), endMs: rel(m.callEndMs) },
      coLocatedMedianMs: m.coLocatedMedianMs,
      aloneMedianMs: m.aloneMedianMs,
      coLocatedItems: items,
      coLocatedPerS: windowS > 0 ? items / windowS : 0,
      alonePerS: m.alonePerS,
      slowdown: m.aloneMedianMs > 0 ? m.coLocatedMedianMs / m.aloneMedianMs : NaN,
    };
  });
  const itemsTogether = rows.reduce((s, r) => s + r.coLocatedItems, 0);
  const aggregateCoLocatedPerS = windowS > 0 ? itemsTogether / windowS : 0;
  // One after another, a round of one batch per member takes the sum of their counted times per batch.
  const aggregateSequentialPerS = rows.every((r) => r.alonePerS > 0) ? rows.length / rows.reduce((s, r) => s + 1 / r.alonePerS, 0) : 0;
  return {
    members: rows,
    commonWindowS: windowS,
    commonWindowMs: { startMs: w.startMs - origin, endMs: w.endMs - origin },
    itemsCompletedTogether: itemsTogether,
    aggregateCoLocatedPerS,
    aggregateSequentialPerS,
    speedup: aggregateSequentialPerS > 0 ? aggregateCoLocatedPerS / aggregateSequentialPerS : NaN,
  };
}

/** The ensemble trial's own counted rate: predictions (one item through every member) completed in the common window. */
export function ensembleThroughput(t: EnsembleTotals): { throughputPerS: number; itemsCompleted: number; countedWindowS: number } {
  const items = Math.min(...t.members.map((m) => m.coLocatedItems ?? 0));
  const windowS = t.commonWindowS ?? 0;
  return { throughputPerS: windowS > 0 ? items / windowS : 0, itemsCompleted: items, countedWindowS: windowS };
}
