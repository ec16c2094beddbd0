/**
 * Which reference run a trial's outputs are checked against: one per model file and input (shapes, seed,
 * integer ranges), shared by every runtime that runs them; undefined where the outputs are not checked
 * (a scenario that checks none, a framework's own model file, which the ONNX reference cannot read).
 */
import type { TrialSpec } from './trial-spec.js';
import { findScenario } from '../scenarios/registry.js';

export function referenceId(spec: TrialSpec): string | undefined {
  if (!findScenario(spec.scenario)?.checks.agreement || spec.modelFormat !== undefined) return undefined;
  return JSON.stringify([spec.modelSha256, spec.inputShapes, spec.seed, spec.intRanges]);
}
