/** The message that starts a trial in a runner, with what the runner must import to know its scenario. */
import type { TrialSpec } from '../core/trial-spec.js';
import type { ToRunner } from './protocol.js';
import { scenarioModule } from '../scenarios/registry.js';

export function trialMessage(spec: TrialSpec, barrier: boolean): ToRunner {
  const module = scenarioModule(spec.scenario);
  return { type: 'trial', spec, barrier, ...(module ? { scenarioModule: module } : {}) };
}
