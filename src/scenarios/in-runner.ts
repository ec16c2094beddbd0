/**
 * Scenarios that need their own loop inside the runner. single-stream and
 * offline use the plain measuring loop (the query is one batch); others
 * register here.
 */
import type { TrialSpec } from '../engine/trial-spec.js';
import type { HostTensor, LoopMeasurement, Session } from '../runtimes/runtime.js';
import type { LoopHooks } from '../runner/loop.js';
import type { ScenarioPart } from '../results/types.js';
import { InputError } from '../errors/input-error.js';
import { runServerScenario } from './server.js';
import { runEnsembleSessions } from './ensemble-sessions.js';

export interface ScenarioRun {
  measurement: LoopMeasurement;
  figures?: ScenarioPart['figures'];
}

export type InRunnerScenario = (spec: TrialSpec, session: Session, feeds: Record<string, HostTensor>, hooks: LoopHooks) => Promise<ScenarioRun>;

const IN_RUNNER: Record<string, InRunnerScenario> = { server: runServerScenario, ensemble: runEnsembleSessions };

export const PLAIN_LOOP_SCENARIOS = ['single-stream', 'offline'];

export async function runScenarioInRunner(
  spec: TrialSpec, session: Session, feeds: Record<string, HostTensor>, hooks: LoopHooks,
): Promise<ScenarioRun | undefined> {
  if (PLAIN_LOOP_SCENARIOS.includes(spec.scenario)) return undefined;
  const scenario = IN_RUNNER[spec.scenario];
  if (!scenario) throw new InputError('scenario', `scenario ${JSON.stringify(spec.scenario)} is not known to the runner`);
  return scenario(spec, session, feeds, hooks);
}
