/**
 * Efficiency of an ok trial: MACs per item of the model at the trial's
 * shapes, the GFLOP/s achieved, and the share of the peak that the same
 * runtime, provider and thread count reach on a large matrix product here.
 * Runs in the parent after the trial, so it never disturbs a measurement.
 */
import { readFile } from 'node:fs/promises';
import type { OkTrial, TrialResult } from '../results/types.js';
import type { TrialSpec } from './trial-spec.js';
import { decodeModel } from '../onnx/read.js';
import { toGraphIR } from '../onnx/ir.js';
import { countFlops } from '../onnx/flops.js';
import { efficiency } from '../onnx/efficiency.js';
import { measurePeakGflops } from '../probes/peak.js';
import { getRuntime } from '../runtimes/registry.js';
import { findScenario } from '../scenarios/registry.js';

/** The fake runtime computes nothing: a FLOP rate for it would be fiction. */
const NOT_COMPUTING = new Set(['fake']);

const macsCache = new Map<string, Promise<number | undefined>>();

async function macsPerItem(spec: TrialSpec): Promise<number | undefined> {
  const id = JSON.stringify([spec.modelSha256, spec.inputShapes]);
  let p = macsCache.get(id);
  if (!p) {
    p = (async () => {
      const model = decodeModel(await readFile(spec.modelPath), spec.modelRef);
      const report = countFlops(toGraphIR(model, spec.modelPath), { batch: spec.batchSize, shapes: spec.inputShapes });
      return report.macsPerItem > 0 ? report.macsPerItem : undefined;
    })().catch(() => undefined);
    macsCache.set(id, p);
  }
  return p;
}

export async function withEfficiency(spec: TrialSpec, result: TrialResult): Promise<TrialResult> {
  if (result.status !== 'ok' || NOT_COMPUTING.has(spec.runtime) || !findScenario(spec.scenario)?.checks.efficiency) return result;
  const macs = await macsPerItem(spec);
  if (macs === undefined) return result;
  let peakGflops: number | undefined;
  try {
    const runtime = await getRuntime(spec.runtime);
    peakGflops = (await measurePeakGflops(runtime, { provider: spec.provider, settings: spec.settings })).gflops;
  } catch {
    // No peak on this runtime: the achieved rate still stands on its own.
  }
  const ok = result as OkTrial;
  return { ...ok, efficiency: efficiency(macs, ok.latencyMs.median, spec.batchSize, peakGflops) };
}
