/** Ensemble trials: one trial per configuration whose model is the set of members. */
import { createHash } from 'node:crypto';
import type { TrialSpec } from '../core/trial-spec.js';
import { trialKey } from '../core/trial-spec.js';
import type { ModelInfo } from '../engine/model-info.js';
import { resolveInputShapes, type ShapeBindings } from '../engine/shapes.js';
import { intRangesOf } from '../engine/expand.js';

export interface EnsembleMember {
  ref: string;
  path: string;
  sha256: string;
  sizeBytes: number;
  inputShapes: Record<string, number[]>;
  intRanges: Record<string, [number, number]>;
}

export interface EnsembleSpecOptions {
  mode: 'sessions' | 'processes';
  members: EnsembleMember[];
}

/** Turn trials expanded on the first member into ensemble trials over every member. */
export function toEnsembleTrials(
  trials: TrialSpec[], members: { ref: string; info: ModelInfo }[], mode: 'sessions' | 'processes', bindings: ShapeBindings,
): TrialSpec[] {
  const sha = createHash('sha256').update(members.map((m) => m.info.sha256).join('+')).digest('hex');
  const modelRef = `ensemble:${members.map((m) => m.ref).join('+')}`;
  return trials.map((t) => {
    const ensemble: EnsembleSpecOptions = {
      mode,
      members: members.map((m) => ({
        ref: m.ref, path: m.info.path, sha256: m.info.sha256, sizeBytes: m.info.sizeBytes,
        inputShapes: resolveInputShapes(m.info.inputs, t.batchSize, bindings), intRanges: intRangesOf(m.info),
      })),
    };
    const scenarioOptions = { ensemble };
    const key = trialKey({ ...t, modelSha256: sha, scenarioOptions });
    return { ...t, key, modelRef, modelSha256: sha, modelSizeBytes: members.reduce((n, m) => n + m.info.sizeBytes, 0), scenarioOptions };
  });
}

/** One member as a plain single-stream trial of its own. */
export function memberSpec(spec: TrialSpec, m: EnsembleMember, index: number, outputsPath?: string): TrialSpec {
  return {
    ...spec,
    key: `${spec.key}:${index}`,
    scenario: 'single-stream',
    scenarioOptions: undefined,
    modelRef: m.ref,
    modelPath: m.path,
    modelSha256: m.sha256,
    modelSizeBytes: m.sizeBytes,
    inputShapes: m.inputShapes,
    intRanges: m.intRanges,
    ...(outputsPath ? { outputsPath } : { outputsPath: undefined }),
  };
}
