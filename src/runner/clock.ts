/** The runner's clock: process.hrtime.bigint, and what it costs to read it. */

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Median cost of two back-to-back clock reads and the smallest non-zero step
 * seen, so every latency can be read against the harness's own cost.
 */
export function measureClock(pairs = 2000): { overheadMs: number; resolutionMs: number } {
  const deltas: number[] = [];
  let resolutionNs = Infinity;
  for (let i = 0; i < pairs; i++) {
    const a = process.hrtime.bigint();
    const b = process.hrtime.bigint();
    const d = Number(b - a);
    deltas.push(d);
    if (d > 0 && d < resolutionNs) resolutionNs = d;
  }
  deltas.sort((x, y) => x - y);
  return { overheadMs: deltas[deltas.length >> 1] / 1e6, resolutionMs: (Number.isFinite(resolutionNs) ? resolutionNs : 1) / 1e6 };
}

/**
 * A reading of nowMs() on the wall clock shared by processes (ms since the epoch, sub-millisecond):
 * runners started together can line up their windows on it.
 */
export function epochMs(atNowMs: number): number {
  return performance.timeOrigin + performance.now() - (nowMs() - atNowMs);
}
