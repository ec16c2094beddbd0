/**
 * Every scenario, by name. Adding one: its file, one line here, its tests.
 * `registerScenario` lets a library user (or a test) add one at run time;
 * such a scenario runs in the parent, since a runner process does not see it.
 */
import { InputError } from '../errors/input-error.js';
import type { Scenario } from './scenario.js';
import { singleStream } from './single-stream.js';
import { offline } from './offline.js';
import { server } from './server.js';
import { ensemble } from './ensemble.js';

const SCENARIOS = new Map<string, Scenario>([singleStream, offline, server, ensemble].map((s) => [s.name, s]));

export function scenarioNames(): string[] {
  return [...SCENARIOS.keys()];
}

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.get(name);
}

export function getScenario(name: string): Scenario {
  const s = SCENARIOS.get(name);
  if (!s) throw new InputError('--scenario', `--scenario: ${JSON.stringify(name)} is not a scenario; scenarios: ${scenarioNames().join(', ')}`);
  return s;
}

export function registerScenario(scenario: Scenario): () => void {
  if (SCENARIOS.has(scenario.name)) throw new Error(`scenario ${scenario.name} is already registered`);
  SCENARIOS.set(scenario.name, scenario);
  return () => { SCENARIOS.delete(scenario.name); };
}
