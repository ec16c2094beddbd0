/**
 * A scenario's own loop inside the runner, when it has one; single-stream
 * and offline use the plain measuring loop (the query is one batch).
 */
import type { TrialSpec } from '../core/trial-spec.js';
import type { HostTensor, Session } from '../runtimes/runtime.js';
import type { LoopHooks } from '../runner/loop.js';
import type { ScenarioRun } from './scenario.js';
import { InputError } from '../errors/input-error.js';
import { findScenario } from './registry.js';

export type { ScenarioRun };

export async function runScenarioInRunner(
  spec: TrialSpec, session: Session, feeds: Record<string, HostTensor>, hooks: LoopHooks,
): Promise<ScenarioRun | undefined> {
  const scenario = findScenario(spec.scenario);
  if (!scenario) throw new InputError('scenario', `scenario ${JSON.stringify(spec.scenario)} is not known to the runner`);
  return scenario.runInRunner?.(spec, session, feeds, hooks);
}
