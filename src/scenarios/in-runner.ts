/**
 * A scenario's own loop inside the runner, when it has one; single-stream
 * and offline use the plain measuring loop (the query is one batch). A
 * scenario registered at run time comes from `module`, imported here.
 */
import type { TrialSpec } from '../core/trial-spec.js';
import type { HostTensor, Session } from '../runtimes/runtime.js';
import type { LoopHooks } from '../runner/loop.js';
import type { ScenarioRun } from './scenario.js';
import { InputError } from '../errors/input-error.js';
import { loadScenario } from './registry.js';

export type { ScenarioRun };

export async function runScenarioInRunner(
  spec: TrialSpec, session: Session, feeds: Record<string, HostTensor>, hooks: LoopHooks, module?: string,
): Promise<ScenarioRun | undefined> {
  const scenario = await loadScenario(spec.scenario, module);
  if (!scenario) {
    throw new InputError('scenario', `scenario ${JSON.stringify(spec.scenario)} is not known to the runner; register it with the module that exports it (registerScenario(s, { module }))`);
  }
  return scenario.runInRunner?.(spec, session, feeds, hooks);
}
