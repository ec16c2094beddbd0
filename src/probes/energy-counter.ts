/**
 * Accumulating a hardware energy counter that wraps to zero at a known
 * maximum. Read often enough that at most one wrap lies between two reads;
 * a drop that no single wrap can explain is reported as a counter going
 * backwards, not guessed at.
 */
export type CounterStep = { ok: true; deltaUj: number; wrapped: boolean } | { ok: false; reason: string };

/** The energy between two raw reads, wrap-around included. */
export function counterDelta(previousUj: number, currentUj: number, maxRangeUj: number | undefined): CounterStep {
  if (currentUj >= previousUj) return { ok: true, deltaUj: currentUj - previousUj, wrapped: false };
  if (maxRangeUj === undefined || maxRangeUj <= 0) {
    return { ok: false, reason: `counter went backwards (${previousUj} -> ${currentUj} uJ) and its wrap point (max_energy_range_uj) is unknown` };
  }
  const wrappedDelta = maxRangeUj - previousUj + currentUj;
  // One wrap between reads spans less than half the range; anything larger is a reset or a bad read.
  if (wrappedDelta < 0 || wrappedDelta > maxRangeUj / 2) {
    return { ok: false, reason: `counter went backwards (${previousUj} -> ${currentUj} uJ), more than one wrap of ${maxRangeUj} uJ can explain` };
  }
  return { ok: true, deltaUj: wrappedDelta, wrapped: true };
}

/** Running total of a wrapping counter since its first read. */
export class WrappingCounter {
  private last: number | undefined;
  totalUj = 0;
  wraps = 0;
  constructor(private readonly maxRangeUj: number | undefined) {}

  /** Feeds one raw read; returns the step, or the reason the counter cannot be trusted. */
  update(rawUj: number): CounterStep {
    if (this.last === undefined) {
      this.last = rawUj;
      return { ok: true, deltaUj: 0, wrapped: false };
    }
    const step = counterDelta(this.last, rawUj, this.maxRangeUj);
    if (step.ok) {
      this.totalUj += step.deltaUj;
      if (step.wrapped) this.wraps++;
      this.last = rawUj;
    }
    return step;
  }
}
