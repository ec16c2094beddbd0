/**
 * The one place where a scenario's name (a string from a plan, a flag or a
 * scenario registered at run time) meets the discriminated union of the
 * results format. A scenario outside the union carries no typed figures.
 */
import type { OfflineFigures, ScenarioPart, TrialResult } from './types.js';

export function scenarioPart(scenario: string, figures?: ScenarioPart['figures']): ScenarioPart {
  return (figures === undefined ? { scenario } : { scenario, figures }) as ScenarioPart;
}

/** The result with a scenario's figures set (the batch scan adds its outcome to its last step). */
export function withFigures<T extends TrialResult>(result: T, figures: ScenarioPart['figures']): T {
  return { ...result, figures } as T;
}

/** The batch scan's outcome on its last step; an ensemble keeps its own figures and gains `scan`. */
export function withScan<T extends TrialResult>(result: T, scan: OfflineFigures): T {
  if (result.scenario !== 'ensemble') return withFigures(result, scan);
  return result.figures ? withFigures(result, { ...result.figures, scan }) : result;
}
