/**
 * Efficiency of a measured configuration: the arithmetic rate it reached
 * (from MACs per item and the median latency of one batch), and its share
 * of the peak the same runtime reaches on a large matrix product here.
 */
export interface Efficiency {
  macsPerItem: number;
  /** 2 x MACs x batch / median latency, in GFLOP/s (conv/matmul/gemm work only). */
  achievedGflops: number;
  /** The runtime's matrix-product peak on this machine, GFLOP/s (src/onnx/peak.ts). */
  peakGflops?: number;
  /** achievedGflops / peakGflops, 0..1 (can exceed 1 slightly when the probe ran under load). */
  peakShare?: number;
}

export function efficiency(macsPerItem: number, medianLatencyMs: number, batchSize: number, peakGflops?: number): Efficiency {
  if (!(macsPerItem >= 0)) throw new RangeError(`macsPerItem must be >= 0, got ${macsPerItem}`);
  if (!(medianLatencyMs > 0)) throw new RangeError(`medianLatencyMs must be > 0, got ${medianLatencyMs}`);
  if (!(batchSize >= 1)) throw new RangeError(`batchSize must be >= 1, got ${batchSize}`);
  const achievedGflops = (2 * macsPerItem * batchSize) / (medianLatencyMs / 1e3) / 1e9;
  if (peakGflops === undefined || !(peakGflops > 0)) return { macsPerItem, achievedGflops };
  return { macsPerItem, achievedGflops, peakGflops, peakShare: achievedGflops / peakGflops };
}
